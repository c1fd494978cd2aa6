import { randomUUID } from 'node:crypto';
import { type DeadLetter, deadLetterFrom } from '../dead-letter';
import { DEAD_LETTER_TOPIC, type MessagingConfig } from '../message';
import { withTimeout } from '../waits';
import { createKafka, incomingOf } from './kafka-client';

/**
 * Reads the whole dead-letter topic, as it is now, with a short-lived consumer group of its own (deleted
 * afterwards). Rejects if it cannot reach the end of the topic within `timeoutMs`.
 */
export async function readKafkaDeadLetters(config: MessagingConfig, timeoutMs: number): Promise<DeadLetter[]> {
  const kafka = createKafka(config, 'dead-letter-reader');
  const admin = kafka.admin();
  await withTimeout(admin.connect(), timeoutMs, 'connecting to Kafka');
  const groupId = `${config.clientId}.dead-letter-reader.${randomUUID()}`;
  try {
    const offsets = await withTimeout(admin.fetchTopicOffsets(DEAD_LETTER_TOPIC), timeoutMs, 'reading dead-letter offsets');
    /** partition → last offset to read */
    const remaining = new Map<number, bigint>();
    for (const o of offsets) {
      if (BigInt(o.high) > BigInt(o.low)) remaining.set(o.partition, BigInt(o.high) - 1n);
    }
    if (remaining.size === 0) return [];

    const letters: { partition: number; offset: bigint; letter: DeadLetter }[] = [];
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
    try {
      await withTimeout(
        (async () => {
          let done: () => void = () => undefined;
          const finished = new Promise<void>((resolve) => (done = resolve));
          await consumer.connect();
          await consumer.subscribe({ topics: [DEAD_LETTER_TOPIC], fromBeginning: true });
          await consumer.run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              const last = remaining.get(partition);
              const offset = BigInt(message.offset);
              if (last === undefined || offset > last) return;
              letters.push({
                partition,
                offset,
                letter: deadLetterFrom(incomingOf(topic, partition, message)),
              });
              if (offset === last) remaining.delete(partition);
              if (remaining.size === 0) done();
            },
          });
          await finished;
        })(),
        timeoutMs,
        'reading the dead-letter topic',
      );
    } finally {
      await withTimeout(consumer.disconnect(), 10_000, 'disconnecting the dead-letter reader').catch(() => undefined);
    }
    return letters
      .sort((a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0))
      .map((l) => l.letter);
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await withTimeout(admin.disconnect(), 5000, 'disconnecting the Kafka admin client').catch(() => undefined);
  }
}
