/**
 * Every app creates its topics at start-up, and in a deployment they all start together: concurrent
 * creation of the same topics must succeed for each of them (a broker answering one with a transient
 * "does not host this topic-partition" once made an adapter exit in CI).
 */
import { randomBytes } from 'crypto';
import { ensureTopics } from '../topics';
import type { MessagingConfig } from '../message';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

describe('ensureTopics over Kafka', () => {
  it('lets eight processes create the same new topics at the same time', async () => {
    const run = randomBytes(4).toString('hex');
    const topics = Array.from({ length: 6 }, (_, i) => `verihub.it-topics-${run}.t${i}.v1`);
    const config = (i: number): MessagingConfig => ({ transport: 'kafka', brokers, clientId: `it-topics-${run}-${i}`, groupId: `it-topics-${run}-${i}` });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => ensureTopics(config(i), topics)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const created = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    for (const topic of topics) expect(created).toContain(topic);
    // Creating them again is a no-op that creates nothing.
    expect((await ensureTopics(config(0), topics)).filter((t) => topics.includes(t))).toEqual([]);
  });
});
