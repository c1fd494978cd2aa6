/** The results file (JSON) and the short markdown table, with the machine they were measured on. */
import { cpus, totalmem } from 'os';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { BatchOutcome } from './batch-run';
import type { KafkaCeiling, PostgresCeiling, TrafficSummary } from './ceilings';
import type { LatencySummary } from './interactive-checks';
import type { ProcessUsage, TimelinePoint } from './process-sampler';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  kafka: string;
}

export function describeMachine(postgres: string, kafka: string): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1073741824) * 10) / 10,
    node: process.version,
    postgres,
    kafka,
  };
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  failure?: string;
  options: Record<string, unknown>;
  machine: Machine;
  dataset?: { households: number; interactiveHouseholds: number; records: number; generateSeconds: number; loadSeconds: number };
  batch?: BatchOutcome;
  interactive?: { duringBatch: LatencySummary; idle: LatencySummary; ratePerSecond: number };
  processes?: ProcessUsage[];
  memoryTimeline?: TimelinePoint[];
  kafkaTraffic?: TrafficSummary;
  ceilings?: { kafka?: KafkaCeiling; postgres?: PostgresCeiling; errors: string[] };
  ratios?: { ofKafkaCeiling?: number; ofPostgresCeiling?: number };
}

const pct = (n: number | undefined) => (n === undefined ? '–' : `${(n * 100).toFixed(1)} %`);

export function markdownTable(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Benchmark of ${r.startedAt} — ${r.batch ? r.batch.households.toLocaleString('en') : '?'} households` + (r.ok ? '' : ` — **run failed: ${r.failure}**`),
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, PostgreSQL ${m.postgres}, Kafka ${m.kafka}; everything on this machine.`,
    '',
    '| measure | value |',
    '|---|---|',
  ];
  const row = (k: string, v: string) => lines.push(`| ${k} | ${v} |`);
  if (r.batch) {
    const b = r.batch;
    row('batch throughput (upload → all done)', `**${b.householdsPerSecond.toFixed(1)} households/s** (${b.accepted} in ${b.seconds.toFixed(1)} s; upload ${b.uploadSeconds.toFixed(1)} s)`);
    const c = b.counts;
    if (Object.keys(c).length) row('batch outcome', Object.entries(c).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || '–');
  }
  if (r.interactive) {
    const i = r.interactive.duringBatch;
    row(
      `single checks during the batch (${r.interactive.ratePerSecond}/s)`,
      `p50 ${i.p50Ms} ms, p95 ${i.p95Ms} ms, **p99 ${i.p99Ms} ms** (n = ${i.count}${i.errors ? `, ${i.errors} errors` : ''})`,
    );
    const idle = r.interactive.idle;
    if (idle.count) row('single checks before the batch (idle)', `p50 ${idle.p50Ms} ms, p99 ${idle.p99Ms} ms (n = ${idle.count})`);
  }
  if (r.processes) {
    const apps = r.processes.filter((p) => p.pid !== undefined && p.name !== 'kafka');
    const top = [...apps].sort((a, b) => b.peakRssMiB - a.peakRssMiB)[0];
    if (top) row('peak memory, largest app process', `${top.name} ${top.peakRssMiB} MiB`);
    const kafka = r.processes.find((p) => p.name === 'kafka');
    const pg = r.processes.find((p) => p.name === 'postgresql');
    if (kafka) row('peak memory, Kafka (JVM)', `${kafka.peakRssMiB} MiB`);
    if (pg) row('peak memory, PostgreSQL (all processes)', `${pg.peakPssMiB} MiB Pss (${pg.peakRssMiB} MiB summed RSS)`);
  }
  const k = r.ceilings?.kafka;
  if (k) row('Kafka ceiling (produce + consume, no processing)', `${k.messages} msgs × ${k.bytesPerMessage} B in ${k.produceAndConsumeSeconds} s = ${k.householdsPerSecond.toFixed(0)} households/s → ours ${pct(r.ratios?.ofKafkaCeiling)}`);
  const p = r.ceilings?.postgres;
  if (p) row('PostgreSQL ceiling (adapter lookups in bulk)', `${p.rows} rows in ${p.seconds} s = ${p.householdsPerSecond.toFixed(0)} households/s → ours ${pct(r.ratios?.ofPostgresCeiling)}`);
  if (r.processes) {
    lines.push('', '| process | peak RSS MiB | CPU s during batch | % of one core |', '|---|---|---|---|');
    for (const proc of [...r.processes].sort((a, b) => b.batchCpuSeconds - a.batchCpuSeconds)) {
      lines.push(`| ${proc.name} | ${proc.peakRssMiB}${proc.peakPssMiB !== undefined ? ` (Pss ${proc.peakPssMiB})` : ''} | ${proc.batchCpuSeconds} | ${proc.batchCpuPercent} |`);
    }
  }
  return lines.join('\n') + '\n';
}

export function writeResults(dir: string, stamp: string, results: BenchResults): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  const markdown = markdownTable(results);
  writeFileSync(join(dir, `${stamp}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'latest.md'), markdown);
  return { json: join(dir, `${stamp}.json`), markdown };
}
