/**
 * `verihub batch submit|status|results|errors|cancel|list`: hand a caseload to a running hub and follow
 * it, through the gateway's public API (/api/v1/batches). Credentials come from the environment
 * (VERIHUB_USER, VERIHUB_PASSWORD), never from arguments that shells keep in their history.
 */
import { createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { CliOutput } from '../data/cli-output';
import { GatewayClient, GatewayError } from './gateway-client';

export interface BatchCommandDeps {
  output: CliOutput;
  env: NodeJS.ProcessEnv;
  /** Where results go when --out is not given. */
  stdout: NodeJS.WritableStream;
  /** Seconds between progress polls (tests shorten it). */
  pollSeconds?: number;
}

interface Progress {
  id: string;
  status: string;
  total: number;
  accepted: number;
  rejected: number;
  done: number;
  remaining: number;
  counts: Record<string, number>;
  ratePerSecond: number;
  estimatedFinishAt: string | null;
}

interface Submitted {
  id: string;
  status: string;
  total: number;
  accepted: number;
  rejected: number;
  errors: Array<{ line: number; errors: Array<{ field: string; message: string }> }>;
  errorsTruncated: boolean;
}

const DEMO_PASSWORD = 'verihub-demo';

export function registerBatchCommands(program: Command, deps: BatchCommandDeps): Command {
  const batch = program
    .command('batch')
    .description('caseload batches on a running hub (VERIHUB_URL, VERIHUB_USER, VERIHUB_PASSWORD)')
    .option('--url <url>', 'the gateway (default VERIHUB_URL or http://localhost:3000)');
  const client = (): GatewayClient =>
    new GatewayClient({
      url: (batch.opts() as { url?: string }).url ?? deps.env.VERIHUB_URL ?? `http://localhost:${deps.env.PORT ?? 3000}`,
      username: deps.env.VERIHUB_USER ?? 'officer',
      password: deps.env.VERIHUB_PASSWORD ?? deps.env.VERIHUB_DEMO_PASSWORD ?? DEMO_PASSWORD,
    });
  const out = deps.output;
  const run = (work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (err) {
      if (err instanceof GatewayError) {
        for (const e of err.errors) out.error(`  ${e.field || '(body)'}: ${e.message}`);
      }
      throw err;
    }
  };

  batch
    .command('submit <file>')
    .description('upload a JSON Lines (.jsonl) or CSV (.csv) file of households; prints the batch id')
    .option('--format <format>', 'jsonl or csv (default: from the file name)')
    .option('--wait', 'follow the progress until the batch is finished')
    .action((file: string, opts: { format?: string; wait?: boolean }) =>
      run(async () => {
        const format = opts.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
        if (format !== 'jsonl' && format !== 'csv') throw new Error('--format must be jsonl or csv');
        const contentType = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
        const name = encodeURIComponent(file.split(/[\\/]/).pop() ?? file);
        const api = client();
        const submitted = await api.upload<Submitted>(`/api/v1/batches?fileName=${name}`, file, contentType);
        out.info(`batch ${submitted.id}: ${submitted.accepted} household(s) accepted, ${submitted.rejected} line(s) refused`);
        for (const refused of submitted.errors) {
          out.info(`  line ${refused.line}: ${refused.errors.map((e) => `${e.field || '(line)'} ${e.message}`).join('; ')}`);
        }
        if (submitted.errorsTruncated) out.info(`  … all refused lines: verihub batch errors ${submitted.id}`);
        if (opts.wait) await follow(api, submitted.id, out, deps.pollSeconds ?? 2);
      })(),
    );

  batch
    .command('status <id>')
    .description('progress: done / partial / failed / remaining, rate, estimated finish')
    .option('--watch', 'keep printing until the batch is finished')
    .action((id: string, opts: { watch?: boolean }) =>
      run(async () => {
        const api = client();
        if (opts.watch) await follow(api, id, out, deps.pollSeconds ?? 2);
        else out.info(progressLine(await api.json<Progress>('GET', `/api/v1/batches/${encodeURIComponent(id)}`)));
      })(),
    );

  batch
    .command('results <id>')
    .description('one line per household: verification id, conclusion, tests, per-capita income, financial total, discrepancies')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to this file (default: standard output)')
    .action((id: string, opts: { format: string; out?: string }) =>
      run(async () => {
        if (opts.format !== 'csv' && opts.format !== 'jsonl') throw new Error('--format must be csv or jsonl');
        const accept = opts.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
        const body = await client().download(`/api/v1/batches/${encodeURIComponent(id)}/results?format=${opts.format}`, accept);
        if (opts.out) {
          await pipeline(body, createWriteStream(opts.out));
          out.info(`results written to ${opts.out}`);
        } else {
          await pipeline(body, deps.stdout, { end: false });
        }
      })(),
    );

  batch
    .command('errors <id>')
    .description('every refused line, with its number and reasons')
    .action((id: string) =>
      run(async () => {
        const { items } = await client().json<{ items: Submitted['errors'] }>('GET', `/api/v1/batches/${encodeURIComponent(id)}/errors`);
        for (const e of items) out.info(`line ${e.line}: ${e.errors.map((x) => `${x.field || '(line)'} ${x.message}`).join('; ')}`);
        if (items.length === 0) out.info('no refused lines');
      })(),
    );

  batch
    .command('cancel <id>')
    .description('stop submitting: queued households are not verified, those with the providers finish')
    .action((id: string) =>
      run(async () => out.info(progressLine(await client().json<Progress>('POST', `/api/v1/batches/${encodeURIComponent(id)}/cancel`))))(),
    );

  batch
    .command('list')
    .description('the newest batches and where they stand')
    .action(() =>
      run(async () => {
        const { items } = await client().json<{ items: Progress[] }>('GET', '/api/v1/batches');
        for (const p of items) out.info(progressLine(p));
        if (items.length === 0) out.info('no batches');
      })(),
    );
  return batch;
}

async function follow(api: GatewayClient, id: string, out: CliOutput, pollSeconds: number): Promise<void> {
  for (;;) {
    const progress = await api.json<Progress>('GET', `/api/v1/batches/${encodeURIComponent(id)}`);
    out.info(progressLine(progress));
    if (progress.status !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, pollSeconds * 1000));
  }
}

export function progressLine(p: Progress): string {
  const c = p.counts;
  const eta = p.estimatedFinishAt ? `, finish ≈ ${p.estimatedFinishAt}` : '';
  return (
    `batch ${p.id} ${p.status}: ${p.done}/${p.accepted} done (complete ${c.complete}, partial ${c.partial}, failed ${c.failed}), ` +
    `${p.remaining} remaining (pending ${c.pending}, queued ${c.queued})${c.cancelled ? `, cancelled ${c.cancelled}` : ''}, ` +
    `${p.ratePerSecond}/s${eta}`
  );
}
