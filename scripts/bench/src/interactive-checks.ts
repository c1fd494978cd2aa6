/**
 * Single interactive checks while the batch runs: `rate` POST /api/v1/verifications per second (households the batch
 * does not hold, taken in turn), each polled every `pollMs` until its status is no longer pending. The latency of a
 * check is from sending the POST until the first GET that shows it complete, partial or failed.
 */
import type { ApiClient } from './api-client';

export interface CheckResult {
  latencyMs: number;
  /** Time until the 201 of the POST. */
  acceptMs: number;
  status: string;
}

export interface LatencySummary {
  count: number;
  /** Checks whose POST was refused or that never finished within the limit. */
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  acceptP50Ms: number;
  acceptP99Ms: number;
  statuses: Record<string, number>;
  errorSamples: string[];
}

export class InteractiveChecks {
  readonly results: CheckResult[] = [];
  private errors = 0;
  private readonly errorSamples: string[] = [];
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private next = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly requests: readonly unknown[],
    private readonly options: { pollMs: number; limitMs: number },
  ) {
    if (requests.length === 0) throw new Error('no households for the interactive checks');
  }

  /** Submits `rate` checks per second until stop(). */
  start(rate: number): void {
    if (rate <= 0) return;
    this.timer = setInterval(() => this.submitOne(), 1000 / rate);
  }

  /** Runs `count` checks one after the other (the idle baseline, before the batch). */
  async runSequentially(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.check();
  }

  private submitOne(): void {
    const p = this.check().finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Stops submitting and waits for the checks under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }

  private fail(message: string): void {
    this.errors += 1;
    if (this.errorSamples.length < 5) this.errorSamples.push(message);
  }

  private async check(): Promise<void> {
    const body = this.requests[this.next++ % this.requests.length];
    const started = performance.now();
    try {
      const created = await this.api.call<{ id: string; status: string }>('POST', '/api/v1/verifications', body);
      const acceptMs = performance.now() - started;
      if (created.status !== 201) return this.fail(`POST → ${created.status}: ${created.text.slice(0, 200)}`);
      let status = created.body.status;
      while (status === 'pending') {
        if (performance.now() - started > this.options.limitMs) return this.fail(`still pending after ${this.options.limitMs} ms`);
        await new Promise((r) => setTimeout(r, this.options.pollMs));
        const view = await this.api.call<{ status: string }>('GET', `/api/v1/verifications/${created.body.id}`);
        if (view.status !== 200) return this.fail(`GET → ${view.status}: ${view.text.slice(0, 200)}`);
        status = view.body.status;
      }
      this.results.push({ latencyMs: performance.now() - started, acceptMs, status });
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  summary(): LatencySummary {
    return summarize(this.results, this.errors, this.errorSamples);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(results: readonly CheckResult[], errors: number, errorSamples: string[]): LatencySummary {
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const accepts = results.map((r) => r.acceptMs).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const ms = (n: number) => Math.round(n);
  return {
    count: results.length,
    errors,
    p50Ms: ms(percentile(latencies, 50)),
    p95Ms: ms(percentile(latencies, 95)),
    p99Ms: ms(percentile(latencies, 99)),
    maxMs: ms(latencies[latencies.length - 1] ?? 0),
    meanMs: ms(latencies.reduce((s, n) => s + n, 0) / (latencies.length || 1)),
    acceptP50Ms: ms(percentile(accepts, 50)),
    acceptP99Ms: ms(percentile(accepts, 99)),
    statuses,
    errorSamples,
  };
}
