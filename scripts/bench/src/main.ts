/**
 * `npm run bench`: the batch benchmark of issue 5 (docs/benchmark.md). Generates and loads N synthetic households,
 * runs the distributed system (every app its own process over Kafka and PostgreSQL), runs them as one batch while
 * single checks are submitted beside it, samples every process's memory and CPU, measures the machine's Kafka and
 * PostgreSQL ceilings for the same work, and writes bench-results/<stamp>.json, latest.json and latest.md.
 * Not a test: it fails only when the run itself fails (a household lost, a process crashed).
 */
import { rmSync } from 'fs';
import { join, resolve } from 'path';
import { parseArgs } from 'util';
import { todayInShanghai } from '@verihub/domain';
import { DEMO_POLICIES } from '../../../apps/gateway/src/policies/demo-policy';
import { ApiClient } from './api-client';
import { runBatchApi, runSingleRequests, type BatchOutcome } from './batch-run';
import { kafkaCeiling, kafkaClient, measureTraffic, postgresCeiling, topicOffsets } from './ceilings';
import { createRunDatabase, type RunDatabase } from './database';
import { buildDataset, readJsonLines } from './dataset';
import { InteractiveChecks } from './interactive-checks';
import { ensureBroker, type Broker } from './kafka-broker';
import { pidsNamed, ProcessSampler } from './process-sampler';
import { describeMachine, markdownTable, writeResults, type BenchResults } from './report';
import { DistributedSystem } from './system';

const HELP = `npm run bench -- [options]
  --households N          households in the batch (BENCH_HOUSEHOLDS, default 100000)
  --interactive-rate R    single checks per second while the batch runs (BENCH_INTERACTIVE_RATE, default 2)
  --poll-ms N             a single check's GET interval until it is done (default 50; the console polls every 1000)
  --cpu-prof              write a V8 CPU profile of every app to <run dir>/profiles (summary: node scripts/bench/profile-summary.js)
  --idle-checks N         single checks before the batch, one at a time: the idle baseline (default 10)
  --via batches|verifications   the batch API (default), or one POST /api/v1/verifications per household
  --concurrency N         with --via verifications: POSTs in flight (default 4)
  --banks A,B             bank adapters (VERIHUB_BANKS, default ICBC,CCB)
  --database-url URL      PostgreSQL server; a fresh database verihub_bench_<stamp> is made on it (DATABASE_URL)
  --kafka-brokers H:P     broker; when none answers at 127.0.0.1:<port> one is started and removed at the end (KAFKA_BROKERS)
  --timeout-minutes M     give up on the batch after M minutes (default 120)
  --pg-households-per-query N   households per lookup in the PostgreSQL ceiling (default 200)
  --out DIR               results directory (default bench-results)
  --keep                  keep the database and the generated files
  --seed N                synthetic data seed (default 1)
Env for the apps: PROVIDER_DEADLINE_MS and any VERIHUB_* setting are passed through.`;

function options() {
  const { values } = parseArgs({
    options: {
      households: { type: 'string' },
      'interactive-rate': { type: 'string' },
      'poll-ms': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'idle-checks': { type: 'string' },
      via: { type: 'string' },
      concurrency: { type: 'string' },
      banks: { type: 'string' },
      'database-url': { type: 'string' },
      'kafka-brokers': { type: 'string' },
      'timeout-minutes': { type: 'string' },
      'pg-households-per-query': { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    process.exit(0);
  }
  const int = (name: string, text: string | undefined, fallback: number, min = 0) => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, not "${text}"`);
    return n;
  };
  const via = values.via ?? 'batches';
  if (via !== 'batches' && via !== 'verifications') throw new Error('--via must be batches or verifications');
  return {
    households: Math.floor(int('households', values.households ?? process.env.BENCH_HOUSEHOLDS, 100_000, 1)),
    interactiveRate: int('interactive-rate', values['interactive-rate'] ?? process.env.BENCH_INTERACTIVE_RATE, 2),
    idleChecks: Math.floor(int('idle-checks', values['idle-checks'], 10)),
    pollMs: Math.floor(int('poll-ms', values['poll-ms'], 50, 1)),
    cpuProf: values['cpu-prof'] ?? false,
    via: via as 'batches' | 'verifications',
    concurrency: Math.floor(int('concurrency', values.concurrency, 4, 1)),
    banks: (values.banks ?? process.env.VERIHUB_BANKS ?? 'ICBC,CCB').split(',').map((b) => b.trim().toUpperCase()).filter(Boolean),
    databaseUrl: values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    kafkaBrokers: values['kafka-brokers'] ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    timeoutMinutes: int('timeout-minutes', values['timeout-minutes'], 120, 1),
    pgHouseholdsPerQuery: Math.floor(int('pg-households-per-query', values['pg-households-per-query'], 200, 1)),
    out: values.out ?? 'bench-results',
    keep: values.keep ?? false,
    seed: Math.floor(int('seed', values.seed, 1)),
  };
}

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/** The apps' environment: the bench's own settings plus PROVIDER_DEADLINE_MS and VERIHUB_* passed through. */
function appEnv(): Record<string, string> {
  const env: Record<string, string> = {
    // The bench is one officer submitting far more than a person could: the per-user API limit is off.
    VERIHUB_RATE_LIMIT_API: '0',
    VERIHUB_RATE_LIMIT_LOGIN: '0',
  };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && (k === 'PROVIDER_DEADLINE_MS' || k.startsWith('VERIHUB_RATE_LIMIT'))) env[k] = v;
  return env;
}

async function main(): Promise<number> {
  const o = options();
  const root = resolve(__dirname, '..', '..');
  const startedAt = new Date();
  const stamp = stampOf(startedAt);
  const runDir = join(root, '.verihub-bench', stamp);
  const asOf = todayInShanghai();
  const interactiveHouseholds = Math.max(50, Math.min(2000, Math.ceil(o.households / 10)));
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    ok: false,
    options: { ...o, interactiveHouseholds, asOf },
    machine: describeMachine('unknown', 'unknown'),
  };

  let broker: Broker | undefined;
  let database: RunDatabase | undefined;
  let system: DistributedSystem | undefined;
  let sampler: ProcessSampler | undefined;
  let interrupted = false;
  let cleaning: Promise<void> | undefined;
  // Once, whether the run ends, fails or is interrupted.
  const cleanup = () => (cleaning ??= cleanUpOnce());
  const cleanUpOnce = async () => {
    sampler?.stop();
    if (system) await system.stopAll().catch((err: Error) => log(`stopping the apps: ${err.message}`));
    if (database && !o.keep) await database.drop().then(() => log(`dropped database ${database!.name}`), (err: Error) => log(`dropping the database: ${err.message}`));
    if (!o.keep) rmSync(join(runDir, 'data'), { recursive: true, force: true });
    if (broker?.startedHere) {
      try {
        broker.stop();
      } catch (err) {
        log(`stopping Kafka: ${(err as Error).message}`);
      }
    }
  };
  process.on('exit', () => system?.killAll());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: shutting down`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    log(`${o.households} households via ${o.via === 'batches' ? 'the batch API' : 'single POSTs'}; run directory ${runDir}`);
    broker = await ensureBroker(root, o.kafkaBrokers, join(runDir, 'kafka'), log);
    database = await createRunDatabase(o.databaseUrl, `verihub_bench_${stamp.replace('-', '_')}`);
    results.machine = describeMachine(database.serverVersion, broker.version);
    log(`database ${database.name} (PostgreSQL ${database.serverVersion})`);

    const dataset = await buildDataset(join(runDir, 'data'), database.url, { households: o.households, interactiveHouseholds, banks: o.banks, asOf, seed: o.seed }, log);
    results.dataset = {
      households: dataset.households,
      interactiveHouseholds: dataset.interactiveHouseholds,
      records: dataset.records,
      generateSeconds: round1(dataset.generateSeconds),
      loadSeconds: round1(dataset.loadSeconds),
    };

    system = new DistributedSystem({ root, runDir, databaseUrl: database.url, brokers: broker.brokers, banks: o.banks, env: appEnv(), cpuProfileDir: o.cpuProf ? join(runDir, 'profiles') : undefined });
    await system.prepare();
    system.startAll();
    sampler = new ProcessSampler();
    for (const name of system.names) sampler.addProcess(name, system.pidOf(name)!);
    if (broker.pid) sampler.addProcess('kafka', broker.pid);
    sampler.addGroup('postgresql', () => pidsNamed('postgres'));
    sampler.start();
    await system.waitForGateway();
    log(`${system.names.length} apps up; gateway ${system.gatewayUrl} (logs ${join(runDir, 'logs')})`);

    const admin = new ApiClient(system.gatewayUrl, { username: 'admin', password: system.adminPassword });
    await admin.signIn();
    const officerCredentials = { username: 'bench-officer', password: `bench-${stamp}-officer` };
    await admin.expect('POST', '/api/v1/users', { ...officerCredentials, role: 'officer', regionCode: '500115' }, 201);
    for (const policy of DEMO_POLICIES) await admin.expect('POST', '/api/v1/policies', policy, 201);
    const officer = new ApiClient(system.gatewayUrl, officerCredentials);
    await officer.signIn();

    const interactiveRequests = await readJsonLines<unknown>(dataset.interactiveFile);
    const idle = new InteractiveChecks(officer, interactiveRequests, { pollMs: o.pollMs, limitMs: 120_000 });
    await idle.runSequentially(o.idleChecks);
    const during = new InteractiveChecks(officer, interactiveRequests.slice(o.idleChecks), { pollMs: o.pollMs, limitMs: 120_000 });

    const kafka = kafkaClient(broker.brokers);
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    const offsetsBefore = await topicOffsets(kafkaAdmin);
    sampler.mark('batch-start');
    during.start(o.interactiveRate);
    const crashed = () => (system!.crashes.length ? `${system!.crashes.map((c) => `${c.name} exited (${c.code})`).join(', ')}` : undefined);
    const runOptions = { pollMs: 500, timeoutMs: o.timeoutMinutes * 60_000, abortReason: crashed, log };
    let batch: BatchOutcome;
    try {
      batch =
        o.via === 'batches'
          ? await runBatchApi(officer, dataset.batchFile, o.households, runOptions)
          : await runSingleRequests(officer, await readJsonLines<unknown>(dataset.batchFile), o.concurrency, runOptions);
    } finally {
      await during.stop();
    }
    sampler.mark('batch-end');
    results.batch = batch;
    results.interactive = { duringBatch: during.summary(), idle: idle.summary(), ratePerSecond: o.interactiveRate };
    const offsetsAfter = await topicOffsets(kafkaAdmin);
    await kafkaAdmin.disconnect();
    const crash = crashed();
    if (crash) batch.problems.push(crash);

    sampler.stop();
    results.processes = sampler.usage();
    results.memoryTimeline = sampler.timeline;
    await system.stopAll();
    log('apps stopped; measuring the ceilings');

    results.kafkaTraffic = await measureTraffic(kafka, offsetsBefore, offsetsAfter);
    const ceilings: NonNullable<BenchResults['ceilings']> = { errors: [] };
    try {
      ceilings.kafka = await kafkaCeiling(kafka, results.kafkaTraffic, batch.accepted, log);
    } catch (err) {
      ceilings.errors.push(`kafka: ${(err as Error).message}`);
    }
    try {
      const batchRequests = await readJsonLines<{ members: { idNumber: string }[] }>(dataset.batchFile);
      ceilings.postgres = await postgresCeiling(database.url, batchRequests, o.banks, asOf, o.pgHouseholdsPerQuery);
    } catch (err) {
      ceilings.errors.push(`postgres: ${(err as Error).message}`);
    }
    results.ceilings = ceilings;
    results.ratios = {
      ofKafkaCeiling: ceilings.kafka ? round3(batch.householdsPerSecond / ceilings.kafka.householdsPerSecond) : undefined,
      ofPostgresCeiling: ceilings.postgres ? round3(batch.householdsPerSecond / ceilings.postgres.householdsPerSecond) : undefined,
    };
    results.ok = batch.problems.filter((p) => !p.includes('rejected at upload')).length === 0 && batch.rejected === 0;
    if (!results.ok) results.failure = batch.problems.join('; ');
  } catch (err) {
    results.failure = (err as Error).message;
    log(`FAILED: ${(err as Error).stack ?? (err as Error).message}`);
    if (sampler && !results.processes) {
      sampler.stop();
      results.processes = sampler.usage();
    }
  } finally {
    await cleanup();
  }
  results.finishedAt = new Date().toISOString();
  const written = writeResults(resolve(root, o.out), stamp, results);
  process.stdout.write('\n' + markdownTable(results) + '\n');
  log(`results: ${written.json} (and latest.json, latest.md)`);
  return results.ok ? 0 : 1;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
