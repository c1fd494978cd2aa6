/**
 * Concurrency that keeps per-key order: messages (in log order) are split into consecutive waves of at
 * most `limit`, with no key twice in a wave. A wave's messages are handled at once; the next wave starts
 * when the whole wave is done. Messages of one key (one verification) are therefore handled in log order,
 * while different verifications overlap their database round trips.
 */
export function keyWaves<T>(messages: readonly T[], limit: number, keyOf: (message: T) => string): T[][] {
  const waves: T[][] = [];
  let wave: T[] = [];
  let keys = new Set<string>();
  for (const message of messages) {
    const key = keyOf(message);
    if (wave.length >= limit || keys.has(key)) {
      waves.push(wave);
      wave = [];
      keys = new Set();
    }
    wave.push(message);
    keys.add(key);
  }
  if (wave.length > 0) waves.push(wave);
  return waves;
}

/** Default of ConsumerOptions.keyConcurrency. */
export const DEFAULT_KEY_CONCURRENCY = 16;

/** A topic with a `.batch.` segment is on the batch lane (libs/contracts batchLane): consumed apart. */
export function isBatchLaneTopic(topic: string): boolean {
  return topic.includes('.batch.');
}
