/**
 * The batch itself, through the batch API: upload the requests (JSON Lines), poll the progress until every accepted
 * household is done, export the results and check them (one line per household, no verification twice).
 * Throughput is accepted households / seconds from the start of the upload until the poll that saw them all done.
 *
 * `via: 'verifications'` is a comparison mode without the batch API: every household is POSTed to
 * /api/v1/verifications (a few requests at a time) and progress is read from the count of pending verifications.
 */
import { readFileSync } from 'fs';
import { ApiError, type ApiClient } from './api-client';

export interface BatchProgress {
  id: string;
  status: 'running' | 'completed' | 'cancelled';
  total: number;
  accepted: number;
  rejected: number;
  done: number;
  remaining: number;
  counts: { complete: number; partial: number; failed: number; pending: number; queued: number; cancelled: number };
  ratePerSecond?: number | null;
  estimatedFinishAt?: string | null;
}

export interface BatchOutcome {
  via: 'batches' | 'verifications';
  batchId?: string;
  households: number;
  accepted: number;
  rejected: number;
  done: number;
  counts: Record<string, number>;
  uploadSeconds: number;
  seconds: number;
  householdsPerSecond: number;
  /** The gateway's own last rate figure. */
  reportedRatePerSecond?: number | null;
  exportSeconds?: number;
  exportedLines?: number;
  duplicateVerificationIds?: number;
  conclusions?: Record<string, number>;
  /** Progress seen every ~10 s: seconds since the upload and households done. */
  progress: { atSeconds: number; done: number }[];
  problems: string[];
}

export interface BatchRunOptions {
  pollMs: number;
  timeoutMs: number;
  /** Called on every poll: a crashed process ends the wait. */
  abortReason: () => string | undefined;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runBatchApi(api: ApiClient, file: string, households: number, options: BatchRunOptions): Promise<BatchOutcome> {
  const body = readFileSync(file);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const submitted = await api.upload('/api/v1/batches', 'application/x-ndjson', body);
  if (submitted.status !== 202 && submitted.status !== 201) throw new ApiError('POST', '/api/v1/batches', submitted.status, submitted.text);
  const batch = submitted.body as { id: string; total: number; accepted: number; rejected: number; errors: unknown[] };
  const uploadSeconds = seconds();
  options.log(`batch ${batch.id}: ${batch.total} lines, ${batch.accepted} accepted, ${batch.rejected} rejected (upload ${uploadSeconds.toFixed(1)} s)`);
  const problems: string[] = [];
  if (batch.rejected > 0) problems.push(`${batch.rejected} lines rejected at upload: ${JSON.stringify(batch.errors.slice(0, 3))}`);

  const progress: BatchOutcome['progress'] = [];
  let lastLog = 0;
  let view: BatchProgress;
  for (;;) {
    const res = await api.call<BatchProgress>('GET', `/api/v1/batches/${batch.id}`);
    if (res.status !== 200) throw new ApiError('GET', `/api/v1/batches/${batch.id}`, res.status, res.text);
    view = res.body;
    const at = seconds();
    if (view.done >= view.accepted || view.status !== 'running') break;
    if (at - lastLog >= 10) {
      lastLog = at;
      progress.push({ atSeconds: Math.round(at), done: view.done });
      const c = view.counts;
      options.log(
        `  ${Math.round(at)} s: ${view.done}/${view.accepted} done (${(view.done / at).toFixed(0)}/s; complete ${c.complete}, partial ${c.partial}, failed ${c.failed}, pending ${c.pending}, queued ${c.queued})`,
      );
    }
    const abort = options.abortReason();
    if (abort) throw new Error(`the batch did not finish: ${abort}`);
    if (at * 1000 > options.timeoutMs) throw new Error(`the batch did not finish within ${options.timeoutMs / 1000} s (${view.done}/${view.accepted} done)`);
    await sleep(options.pollMs);
  }
  const elapsed = seconds();
  progress.push({ atSeconds: Math.round(elapsed), done: view.done });
  // Every household is done; the gateway's batch runner marks the batch completed on its next pass (≤ 1 s).
  for (let waited = 0; view.status === 'running' && waited < 15_000; waited += options.pollMs) {
    await sleep(options.pollMs);
    view = (await api.call<BatchProgress>('GET', `/api/v1/batches/${batch.id}`)).body;
  }
  if (view.status !== 'completed') problems.push(`batch ended ${view.status}`);
  if (view.done !== view.accepted) problems.push(`households lost: done ${view.done} ≠ accepted ${view.accepted}`);
  if (view.accepted + view.rejected !== households) problems.push(`the batch counted ${view.accepted + view.rejected} households, the file has ${households}`);
  options.log(`batch done: ${view.done} households in ${elapsed.toFixed(1)} s → ${(view.accepted / elapsed).toFixed(1)} households/s`);

  // The export: one line per household, each with its own verification.
  const exportStarted = performance.now();
  const results = await api.call<string>('GET', `/api/v1/batches/${batch.id}/results`, undefined, 'application/x-ndjson');
  const exportSeconds = (performance.now() - exportStarted) / 1000;
  let exportedLines = 0;
  let duplicates = 0;
  const conclusions: Record<string, number> = {};
  if (results.status !== 200) problems.push(`results export → ${results.status}: ${results.text.slice(0, 200)}`);
  else {
    const ids = new Set<string>();
    for (const line of results.text.split('\n')) {
      if (line.trim() === '') continue;
      exportedLines += 1;
      const row = JSON.parse(line) as { verificationId?: string | null; conclusion?: string | null };
      if (row.verificationId) {
        if (ids.has(row.verificationId)) duplicates += 1;
        ids.add(row.verificationId);
      }
      const key = row.conclusion ?? 'none';
      conclusions[key] = (conclusions[key] ?? 0) + 1;
    }
    if (exportedLines !== view.accepted) problems.push(`the export has ${exportedLines} lines for ${view.accepted} accepted households`);
    if (duplicates > 0) problems.push(`${duplicates} verification ids appear twice in the export`);
  }
  return {
    via: 'batches',
    batchId: batch.id,
    households,
    accepted: view.accepted,
    rejected: view.rejected,
    done: view.done,
    counts: view.counts,
    uploadSeconds: round2(uploadSeconds),
    seconds: round2(elapsed),
    householdsPerSecond: round2(view.accepted / elapsed),
    reportedRatePerSecond: view.ratePerSecond ?? null,
    exportSeconds: round2(exportSeconds),
    exportedLines,
    duplicateVerificationIds: duplicates,
    conclusions,
    progress,
    problems,
  };
}

/** Without the batch API: one POST per household, `concurrency` at a time, then waiting for none to be pending. */
export async function runSingleRequests(api: ApiClient, requests: readonly unknown[], concurrency: number, options: BatchRunOptions): Promise<BatchOutcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let next = 0;
  let accepted = 0;
  let rejected = 0;
  const problems: string[] = [];
  const worker = async () => {
    while (next < requests.length) {
      const body = requests[next++];
      const res = await api.call('POST', '/api/v1/verifications', body);
      if (res.status === 201) accepted += 1;
      else {
        rejected += 1;
        if (problems.length < 3) problems.push(`POST → ${res.status}: ${res.text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const uploadSeconds = seconds();
  options.log(`submitted ${accepted} verifications (${rejected} refused) in ${uploadSeconds.toFixed(1)} s`);
  const progress: BatchOutcome['progress'] = [];
  let lastLog = 0;
  let pending = accepted;
  for (;;) {
    const res = await api.call<{ total: number }>('GET', '/api/v1/verifications?status=pending&pageSize=1');
    if (res.status !== 200) throw new ApiError('GET', '/api/v1/verifications?status=pending', res.status, res.text);
    pending = res.body.total;
    const at = seconds();
    if (pending === 0) break;
    if (at - lastLog >= 10) {
      lastLog = at;
      progress.push({ atSeconds: Math.round(at), done: accepted - pending });
      options.log(`  ${Math.round(at)} s: ${accepted - pending}/${accepted} done`);
    }
    const abort = options.abortReason();
    if (abort) throw new Error(`the run did not finish: ${abort}`);
    if (at * 1000 > options.timeoutMs) throw new Error(`not finished within ${options.timeoutMs / 1000} s (${pending} pending)`);
    await sleep(options.pollMs);
  }
  const elapsed = seconds();
  progress.push({ atSeconds: Math.round(elapsed), done: accepted });
  return {
    via: 'verifications',
    households: requests.length,
    accepted,
    rejected,
    done: accepted,
    counts: {},
    uploadSeconds: round2(uploadSeconds),
    seconds: round2(elapsed),
    householdsPerSecond: round2(accepted / elapsed),
    progress,
    problems,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
