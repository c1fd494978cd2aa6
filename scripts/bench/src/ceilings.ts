/**
 * The raw ceilings of this machine, measured in the same run as the batch:
 * - Kafka: what the run moved through the broker (messages per topic from the end offsets before and after the
 *   batch, mean size from a sample of them), produced again to a fresh topic with the same partition count and the
 *   same producer settings as libs/messaging (idempotent, acks all, one request in flight), and consumed by one
 *   consumer while it is produced; no processing.
 * - PostgreSQL: the lookups the adapters make for every member of every household of the batch — the same SQL
 *   (libs/exchange lookup queries, `id_number = ANY($1)`), one connection per adapter, all adapters at once, in
 *   batches of households.
 * Each ceiling is also expressed in households per second (the batch's households over the ceiling's time).
 */
import { randomBytes } from 'crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { lookbackFor } from '@verihub/domain';
import {
  bankHoldingsQuery,
  bankInterestQuery,
  fundAccountsQuery,
  fundContributionsQuery,
  incomeQuery,
  personsQuery,
  propertiesQuery,
  vehiclesQuery,
} from '@verihub/exchange/lookup/exchange-queries';

export type TopicOffsets = Map<string, { partitions: number; end: number }>;

export function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'verihub-bench', brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

/** End offsets (summed over partitions) of every verihub topic. */
export async function topicOffsets(admin: Admin): Promise<TopicOffsets> {
  const out: TopicOffsets = new Map();
  for (const topic of await admin.listTopics()) {
    if (!topic.startsWith('verihub.')) continue;
    const offsets = await admin.fetchTopicOffsets(topic);
    out.set(topic, { partitions: offsets.length, end: offsets.reduce((s, p) => s + Number(p.high), 0) });
  }
  return out;
}

export interface TrafficSummary {
  messages: number;
  meanBytes: number;
  partitions: number;
  perTopic: { topic: string; messages: number; meanBytes: number; sampled: number }[];
}

/**
 * Messages per topic between two offset readings, and their mean size (value + key + headers) from up to
 * `samplePerTopic` messages of each topic read back from where the batch began.
 */
export async function measureTraffic(kafka: Kafka, before: TopicOffsets, after: TopicOffsets, samplePerTopic = 300): Promise<TrafficSummary> {
  const admin = kafka.admin();
  await admin.connect();
  const perTopic: TrafficSummary['perTopic'] = [];
  let partitions = 1;
  try {
    for (const [topic, { end, partitions: count }] of after) {
      const messages = end - (before.get(topic)?.end ?? 0);
      if (messages <= 0) continue;
      partitions = Math.max(partitions, count);
      const sizes = await sampleSizes(kafka, admin, topic, samplePerTopic);
      perTopic.push({ topic, messages, meanBytes: Math.round(mean(sizes)), sampled: sizes.length });
    }
  } finally {
    await admin.disconnect();
  }
  const messages = perTopic.reduce((s, t) => s + t.messages, 0);
  const meanBytes = messages > 0 ? Math.round(perTopic.reduce((s, t) => s + t.messages * t.meanBytes, 0) / messages) : 0;
  return { messages, meanBytes, partitions, perTopic };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((s, n) => s + n, 0) / values.length : 0;
}

/** Sizes of the last messages of a topic (the newest: the batch's own), at most `limit`, within 20 s. */
async function sampleSizes(kafka: Kafka, admin: Admin, topic: string, limit: number): Promise<number[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const perPartition = Math.ceil(limit / offsets.length);
  const consumer = kafka.consumer({ groupId: `verihub-bench-sample-${randomBytes(6).toString('hex')}` });
  const sizes: number[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const wanted = offsets.reduce((s, p) => s + Math.min(perPartition, Number(p.high) - Number(p.low)), 0);
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (sizes.length >= wanted) return;
        let bytes = (message.value?.length ?? 0) + (message.key?.length ?? 0);
        for (const [k, v] of Object.entries(message.headers ?? {})) bytes += k.length + (Buffer.isBuffer(v) ? v.length : String(v ?? '').length);
        sizes.push(bytes);
        if (sizes.length >= wanted) resolveDone();
      },
    });
    for (const p of offsets) consumer.seek({ topic, partition: p.partition, offset: String(Math.max(Number(p.low), Number(p.high) - perPartition)) });
    await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
  } finally {
    await consumer.disconnect();
  }
  return sizes;
}

export interface KafkaCeiling {
  messages: number;
  bytesPerMessage: number;
  partitions: number;
  produceSeconds: number;
  /** From the first produce until the consumer had every message. */
  produceAndConsumeSeconds: number;
  messagesPerSecond: number;
  /** The batch's households over produceAndConsumeSeconds. */
  householdsPerSecond: number;
}

export async function kafkaCeiling(kafka: Kafka, traffic: TrafficSummary, households: number, log: (line: string) => void): Promise<KafkaCeiling> {
  const topic = `verihub-bench-ceiling-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: traffic.partitions, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `verihub-bench-ceiling-${randomBytes(6).toString('hex')}` });
  const total = traffic.messages;
  const valueBytes = Math.max(1, traffic.meanBytes - 36);
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let consumed = 0;
    let resolveDone: () => void = () => undefined;
    const allConsumed = new Promise<void>((r) => (resolveDone = r));
    const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        consumed += batch.messages.length;
        resolveOffset(batch.lastOffset());
        await heartbeat();
        if (consumed >= total) resolveDone();
      },
    });
    await joined;
    log(`Kafka ceiling: ${total} messages of ${traffic.meanBytes} bytes over ${traffic.partitions} partitions`);
    const value = randomBytes(valueBytes);
    const started = performance.now();
    const chunk = 500;
    for (let sent = 0; sent < total; sent += chunk) {
      const n = Math.min(chunk, total - sent);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `${(sent + i).toString(16).padStart(36, '0')}`, value })) }],
      });
    }
    const produceSeconds = (performance.now() - started) / 1000;
    await Promise.race([allConsumed, new Promise((_, reject) => setTimeout(() => reject(new Error('the ceiling consumer did not get every message within 10 min')), 600_000))]);
    const seconds = (performance.now() - started) / 1000;
    return {
      messages: total,
      bytesPerMessage: traffic.meanBytes,
      partitions: traffic.partitions,
      produceSeconds: round2(produceSeconds),
      produceAndConsumeSeconds: round2(seconds),
      messagesPerSecond: Math.round(total / seconds),
      householdsPerSecond: round2(households / seconds),
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

export interface PostgresCeiling {
  households: number;
  people: number;
  rows: number;
  queries: number;
  householdsPerQuery: number;
  seconds: number;
  householdsPerSecond: number;
}

interface HouseholdRequest {
  asOf?: string;
  members: { idNumber: string }[];
}

/** One connection per adapter process; each runs its department's lookups for a batch of households, all adapters at once. */
export async function postgresCeiling(
  databaseUrl: string,
  requests: readonly HouseholdRequest[],
  banks: readonly string[],
  asOf: string,
  householdsPerQuery: number,
): Promise<PostgresCeiling> {
  const lookback = lookbackFor(asOf, 12);
  type Lookup = { name: string; text: string; params: (ids: string[]) => unknown[] };
  const adapters: Lookup[][] = [
    [
      { ...personsQuery, params: (ids) => [ids] },
      { ...vehiclesQuery, params: (ids) => [ids] },
    ],
    [{ ...incomeQuery, params: (ids) => [ids, lookback.from, lookback.to] }],
    [{ ...propertiesQuery, params: (ids) => [ids, asOf] }],
    [
      { ...fundAccountsQuery, params: (ids) => [ids, asOf] },
      { ...fundContributionsQuery, params: (ids) => [ids, lookback.from, lookback.to] },
    ],
    ...banks.map((bank) => [
      { ...bankHoldingsQuery, params: (ids: string[]) => [bank, ids, asOf] },
      { ...bankInterestQuery, params: (ids: string[]) => [bank, ids, lookback.from, lookback.to] },
    ]),
  ];
  const clients = adapters.map(() => new Client({ connectionString: databaseUrl, application_name: 'verihub-bench-ceiling' }));
  await Promise.all(clients.map((c) => c.connect()));
  let rows = 0;
  let queries = 0;
  let people = 0;
  try {
    const started = performance.now();
    for (let i = 0; i < requests.length; i += householdsPerQuery) {
      const ids = requests.slice(i, i + householdsPerQuery).flatMap((r) => r.members.map((m) => m.idNumber));
      people += ids.length;
      await Promise.all(
        adapters.map(async (lookups, a) => {
          for (const q of lookups) {
            const res = await clients[a].query({ name: q.name, text: q.text, values: q.params(ids) });
            rows += res.rowCount ?? 0;
            queries += 1;
          }
        }),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return { households: requests.length, people, rows, queries, householdsPerQuery, seconds: round2(seconds), householdsPerSecond: round2(requests.length / seconds) };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
