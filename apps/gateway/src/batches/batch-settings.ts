/** How batches run (VERIHUB_BATCH_* settings; gateway.env.ts reads them). */
export interface BatchOptions {
  /** Largest file accepted, in bytes (VERIHUB_BATCH_MAX_BYTES, default 1 GiB). */
  maxBytes: number;
  /** Most households in one file (VERIHUB_BATCH_MAX_HOUSEHOLDS, default 1,000,000). */
  maxHouseholds: number;
  /**
   * Back-pressure: batch households are submitted only while fewer than this many of the running
   * batches' households are pending (VERIHUB_BATCH_IN_FLIGHT, default 200), so queues and memory stay
   * flat however large the batch, and a household's queries never wait long enough in the queues to miss
   * the providers' deadline (200 in flight at ~60 households/s is ~3 s, far under the 30 s default).
   */
  maxInFlight: number;
  /** Households submitted at once (VERIHUB_BATCH_SUBMIT_CONCURRENCY, default 8). */
  submitConcurrency: number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptions = {
  maxBytes: 1024 ** 3,
  maxHouseholds: 1_000_000,
  maxInFlight: 200,
  submitConcurrency: 8,
};

/** The options as a provider (a class, so Nest injects it by type). */
export class BatchSettings implements BatchOptions {
  readonly maxBytes: number;
  readonly maxHouseholds: number;
  readonly maxInFlight: number;
  readonly submitConcurrency: number;

  constructor(options: Partial<BatchOptions> = {}) {
    const all = { ...DEFAULT_BATCH_OPTIONS, ...options };
    for (const [name, value] of Object.entries(all)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`gateway: batches.${name} must be a whole number ≥ 1`);
    }
    this.maxBytes = all.maxBytes;
    this.maxHouseholds = all.maxHouseholds;
    this.maxInFlight = all.maxInFlight;
    this.submitConcurrency = all.submitConcurrency;
  }
}
