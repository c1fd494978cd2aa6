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
