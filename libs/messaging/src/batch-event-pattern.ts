import type { MessageHandler } from '@nestjs/microservices';
import { EventPattern } from '@nestjs/microservices';

/** The handler extra that marks a batch handler (see BatchEventPattern). */
const BATCH_EXTRA = 'verihubBatch';

export interface BatchHandlerOptions {
  /** Most messages handed to the handler in one call (default 200). */
  maxBatchSize?: number;
}

/** Default of BatchHandlerOptions.maxBatchSize. */
export const DEFAULT_MAX_BATCH_SIZE = 200;

/**
 * Like `@EventPattern`, for a handler that takes many messages at once: its payload is an
 * `IncomingMessage[]` of one topic partition, in log order (so it may hold several messages of one key,
 * which it must apply in that order). It exists for handlers whose cost is per call, not per message —
 * one transaction, one lock, one multi-row statement for the lot.
 *
 * If the call fails, the transport hands the same messages over again one at a time (arrays of one), each
 * under the per-message rules: a MalformedMessageError sends that message alone to the dead-letter topic,
 * any other error is retried with backoff. So one bad message never takes its neighbours down with it.
 */
export function BatchEventPattern(topics: string | string[], options: BatchHandlerOptions = {}): MethodDecorator {
  const maxBatchSize = Math.max(1, Math.floor(options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE));
  return EventPattern(topics, { [BATCH_EXTRA]: { maxBatchSize } });
}

/** The batch options of a handler declared with BatchEventPattern, or undefined for a per-message handler. */
export function batchOptionsOf(handler: MessageHandler | null | undefined): Required<BatchHandlerOptions> | undefined {
  const extra: unknown = handler?.extras?.[BATCH_EXTRA];
  if (typeof extra !== 'object' || extra === null || !('maxBatchSize' in extra)) return undefined;
  return { maxBatchSize: Number(extra.maxBatchSize) };
}

/** Consecutive slices of at most `size`, in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
