import type { IncomingMessage } from '../message';
import { eventually } from '../testing/test-consumer';
import { InProcessBroker } from './in-process.broker';

const TOPIC = 'verihub.test.events.v1';

function message(i: number): { topic: string; key: string; value: Uint8Array } {
  return { topic: TOPIC, key: `v-${i}`, value: Uint8Array.of(i % 256) };
}

describe('InProcessBroker', () => {
  it('keeps memory bounded: drops what every known group consumed, beyond a retained tail', async () => {
    const broker = new InProcessBroker();
    const seen: string[] = [];
    broker.subscribe('g', [TOPIC], async (m: IncomingMessage) => {
      seen.push(m.key);
      return true;
    });
    broker.publish(Array.from({ length: 5000 }, (_, i) => message(i)));

    await eventually(() => seen.length === 5000, 'all messages');
    expect(seen.slice(0, 3)).toEqual(['v-0', 'v-1', 'v-2']);
    expect(broker.read(TOPIC).length).toBeLessThanOrEqual(1000 + 256);
    expect(broker.read(TOPIC).at(-1)?.offset).toBe('4999');
  });

  it('keeps everything a known group has not consumed yet', async () => {
    const broker = new InProcessBroker();
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    broker.subscribe('slow', [TOPIC], async () => {
      await blocked;
      return true;
    });
    broker.subscribe('fast', [TOPIC], async () => true);
    broker.publish(Array.from({ length: 3000 }, (_, i) => message(i)));

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(broker.read(TOPIC)).toHaveLength(3000);
    release();
  });

  it('handles different keys at once up to the concurrency, and one key strictly in log order', async () => {
    const broker = new InProcessBroker();
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    broker.subscribe(
      'g',
      [TOPIC],
      async (m: IncomingMessage) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`${m.key}#${m.offset}`);
        running -= 1;
        return true;
      },
      4,
    );
    // Keys a, b, c, d, e repeated: 50 messages, 10 per key.
    broker.publish(Array.from({ length: 50 }, (_, i) => ({ topic: TOPIC, key: 'abcde'[i % 5], value: Uint8Array.of(i) })));

    await eventually(() => order.length === 50, 'all messages');
    expect(peak).toBe(4);
    for (const key of 'abcde') {
      const offsets = order.filter((o) => o.startsWith(`${key}#`)).map((o) => Number(o.split('#')[1]));
      expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
      expect(offsets).toHaveLength(10);
    }
  });

  it('a slow message of one key does not hold back other keys beyond its wave, and nothing is lost', async () => {
    const broker = new InProcessBroker();
    const seen: string[] = [];
    broker.subscribe(
      'g',
      [TOPIC],
      async (m: IncomingMessage) => {
        if (m.key === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
        seen.push(m.key);
        return true;
      },
      8,
    );
    broker.publish([{ topic: TOPIC, key: 'slow', value: Uint8Array.of(0) }, ...Array.from({ length: 5 }, (_, i) => message(i))]);
    await eventually(() => seen.length === 6, 'all messages');
    // The fast ones of the same wave finished while the slow one was still running.
    expect(seen.indexOf('slow')).toBe(5);
  });

  it('delivers nothing more after reset', async () => {
    const broker = new InProcessBroker();
    const seen: string[] = [];
    broker.subscribe('g', [TOPIC], async (m) => {
      seen.push(m.key);
      return true;
    });
    broker.reset();
    broker.publish([message(1)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });
});
