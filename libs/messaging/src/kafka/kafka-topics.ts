import { DEAD_LETTER_TOPIC, type MessagingConfig } from '../message';
import { waitUntil, withTimeout } from '../waits';
import { createKafka } from './kafka-client';

export interface EnsureTopicsOptions {
  /** Partitions of a topic created here (existing topics are left as they are). Default 3. */
  partitions?: number;
  /** Default 1 (a single-broker cluster). */
  replicationFactor?: number;
  /** Bound of the whole operation. Default 30 s. */
  timeoutMs?: number;
}

/** Creates the missing topics (and the dead-letter topic), then waits until every one has a leader. */
export async function ensureKafkaTopics(
  config: MessagingConfig,
  topics: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const wanted = [...new Set([...topics, DEAD_LETTER_TOPIC])];
  const admin = createKafka(config, 'admin').admin();
  await withTimeout(admin.connect(), timeoutMs, 'connecting to Kafka');
  try {
    // Several apps start together and create the same topics: the broker may answer one of them with a
    // transient metadata error ("does not host this topic-partition") while another's creation settles.
    // Such errors are retried until the bound, re-reading which topics exist each time.
    const deadline = Date.now() + timeoutMs;
    let created: string[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await withTimeout(admin.listTopics(), timeoutMs, 'listing topics'));
        const missing = wanted.filter((topic) => !existing.has(topic));
        if (missing.length > 0) {
          await withTimeout(
            admin.createTopics({
              topics: missing.map((topic) => ({
                topic,
                numPartitions: options.partitions ?? 3,
                replicationFactor: options.replicationFactor ?? 1,
              })),
              waitForLeaders: false,
              timeout: timeoutMs,
            }),
            timeoutMs,
            'creating topics',
          );
          created = [...created, ...missing];
        }
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
    await waitUntil(
      async () => {
        const { topics: found } = await admin.fetchTopicMetadata({ topics: wanted });
        return (
          found.length === wanted.length &&
          found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
        );
      },
      { timeoutMs: Math.max(1000, deadline - Date.now()), what: `waiting for topics ${wanted.join(', ')}` },
    );
    return [...new Set(created)];
  } finally {
    await withTimeout(admin.disconnect(), 5000, 'disconnecting the Kafka admin client').catch(() => undefined);
  }
}
