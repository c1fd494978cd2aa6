/**
 * A caseload batch over real Kafka and PostgreSQL, every app its own process: uploaded through the public API,
 * verified on the batch lane under back-pressure while an officer's single check goes through beside it,
 * through a restart of the aggregator, and exported — every household verified exactly once.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { batchLane, queryRequestedTopic } from '@verihub/contracts';
import { todayInShanghai } from '@verihub/domain';
import { generateSyntheticHouseholds, writeSyntheticData, type SyntheticHousehold } from '@verihub/exchange';
import { DistributedSystem, waitFor } from './system';

jest.setTimeout(300_000);

const system = new DistributedSystem({ providerDeadlineMs: 30_000, gatewayEnv: { VERIHUB_BATCH_IN_FLIGHT: '6' } });
const dataOptions = { households: 30, seed: 7, banks: system.banks, asOf: todayInShanghai(), regionCodes: ['500115'] };
let households: SyntheticHousehold[] = [];
let officerToken = '';

async function api<T>(method: string, path: string, body?: unknown, token = officerToken, type = 'application/json'): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(`${system.gatewayUrl}${path}`, {
    method,
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed as T, text };
}

async function sql<T extends object>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: system.database.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await system.setUp();
  const dir = mkdtempSync(join(tmpdir(), 'verihub-it-batch-'));
  try {
    const manifest = await writeSyntheticData(dir, dataOptions);
    for (const file of manifest.files) system.runToCompletion('cli', ['data', 'import', file.provider, file.file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The dibao households (the synthetic set asks for housing assistance now and then; this suite has one policy).
  households = [...generateSyntheticHouseholds(dataOptions)].filter((h) => h.request.program === 'dibao');
  system.startAll();
  await waitFor('the gateway', async () => ((await fetch(`${system.gatewayUrl}/api/v1/health`).catch(() => undefined))?.ok ? true : undefined), 90_000);
  const admin = (await api<{ accessToken: string }>('POST', '/api/v1/auth/token', { username: 'admin', password: system.adminPassword }, '')).body.accessToken;
  expect((await api('POST', '/api/v1/users', { username: 'officer-batch', password: 'officer-password-1', role: 'officer', regionCode: '500115' }, admin)).status).toBe(201);
  const policy = await api('POST', '/api/v1/policies', {
    regionCode: '500115', program: 'dibao', effectiveFrom: '2026-01-01',
    standardMonthly: { urban: 78000, rural: 62000 }, incomeLookbackMonths: 12, financialAssetsMonthsLimit: 24,
    maxCountedVehicles: 0, exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
    maxResidentialProperties: 1, maxNonResidentialProperties: 0, employmentDeductionMonthly: 0,
    discrepancyTolerance: { absolute: 10000, relative: 0.1 },
  }, admin);
  expect(policy.status).toBe(201);
  officerToken = (await api<{ accessToken: string }>('POST', '/api/v1/auth/token', { username: 'officer-batch', password: 'officer-password-1' }, '')).body.accessToken;
});

afterAll(async () => {
  await system.tearDown();
});

interface Progress {
  status: string;
  accepted: number;
  done: number;
  remaining: number;
  counts: Record<string, number>;
}

describe('a caseload batch over Kafka, every app its own process', () => {
  it('verifies every accepted household once, beside a single check and through an aggregator restart, and exports the results', async () => {
    // Topics outlive a run (the broker is shared): what this test adds is counted from here.
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    const admin = new Kafka({ clientId: 'verihub-it-lanes', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const count = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    const before = { batch: await count(batchLane(queryRequestedTopic('tax'))), interactive: await count(queryRequestedTopic('tax')) };

    const interactive = households[households.length - 1];
    const batch = households.slice(0, households.length - 1);
    const broken = { ...batch[0].request, members: [{ ...batch[0].request.members[0], idNumber: '110105194912310021' }] };
    const lines = [...batch.map((h) => JSON.stringify(h.request)), JSON.stringify(broken)];
    const submitted = await api<{ id: string; accepted: number; rejected: number; errors: Array<{ line: number; errors: Array<{ field: string }> }> }>(
      'POST', '/api/v1/batches?fileName=caseload.jsonl', lines.join('\n') + '\n', officerToken, 'application/x-ndjson',
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ accepted: batch.length, rejected: 1 });
    expect(submitted.body.errors[0]).toMatchObject({ line: lines.length });
    expect(submitted.body.errors[0].errors.map((e) => e.field)).toContain('members[0].idNumber');
    const id = submitted.body.id;

    // An officer's single check while the batch runs: it completes like any other.
    const single = await api<{ id: string }>('POST', '/api/v1/verifications', interactive.request);
    expect(single.status).toBe(201);

    // Back-pressure: never more than VERIHUB_BATCH_IN_FLIGHT (6) pending at once; then the aggregator restarts mid-batch.
    await waitFor('the batch to be under way', async () => ((await api<Progress>('GET', `/api/v1/batches/${id}`)).body.done >= 3 ? true : undefined), 120_000, 300);
    const pendingNow = await sql<{ n: string }>(`SELECT count(*) AS n FROM gateway.verifications WHERE status = 'pending'`);
    expect(Number(pendingNow[0].n)).toBeLessThanOrEqual(6 + 1);
    await system.stop('aggregator', 'SIGKILL');
    system.start('aggregator');

    const finished = await waitFor('the batch to complete', async () => {
      const progress = (await api<Progress>('GET', `/api/v1/batches/${id}`)).body;
      return progress.status !== 'running' ? progress : undefined;
    }, 240_000, 1000);
    expect(finished).toMatchObject({ status: 'completed', accepted: batch.length, done: batch.length, remaining: 0 });
    expect(finished.counts.complete + finished.counts.partial).toBe(batch.length);
    expect(finished.counts.failed).toBe(0);

    const singleDone = await waitFor('the single check', async () => {
      const view = (await api<{ status: string; reportVersion?: number }>('GET', `/api/v1/verifications/${single.body.id}`)).body;
      return view.status !== 'pending' && (view.reportVersion ?? 0) >= 1 ? view : undefined;
    }, 120_000, 500);
    expect(['complete', 'partial']).toContain(singleDone.status);

    // Exactly once: one verification per accepted household, and no other.
    const rows = await sql<{ items: string; distinct_verifications: string; verifications: string }>(
      `SELECT count(*) AS items, count(DISTINCT i.verification_id) AS distinct_verifications,
              (SELECT count(*) FROM gateway.verifications) AS verifications
         FROM gateway.batch_items i JOIN gateway.verifications v ON v.id = i.verification_id WHERE i.batch_id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ items: String(batch.length), distinct_verifications: String(batch.length), verifications: String(batch.length + 1) });

    // The batch travelled on the batch lane; the single check on the interactive one.
    try {
      // (An aggregator killed between publishing and marking its outbox publishes those requests again.)
      expect((await count(batchLane(queryRequestedTopic('tax')))) - before.batch).toBeGreaterThanOrEqual(batch.length);
      const interactiveAdded = (await count(queryRequestedTopic('tax'))) - before.interactive;
      expect(interactiveAdded).toBeGreaterThanOrEqual(1);
      expect(interactiveAdded).toBeLessThanOrEqual(2);
    } finally {
      await admin.disconnect();
    }

    const results = await api<unknown>('GET', `/api/v1/batches/${id}/results?format=jsonl`);
    expect(results.status).toBe(200);
    const parsed = results.text.trim().split('\n').map((l) => JSON.parse(l) as { line: number; verificationId: string; status: string; conclusion: string | null; perCapitaIncome: number | null });
    expect(parsed.map((r) => r.line)).toEqual(batch.map((_, i) => i + 1));
    expect(new Set(parsed.map((r) => r.verificationId)).size).toBe(batch.length);
    for (const r of parsed) {
      expect(['complete', 'partial']).toContain(r.status);
      expect(['within_limits', 'exceeds_limits', 'incomplete']).toContain(r.conclusion);
      expect(Number.isInteger(r.perCapitaIncome)).toBe(true);
    }
    // The export's figures are the reports' own.
    const sample = parsed[0];
    const report = (await api<{ income: { monthlyPerCapita: number }; conclusion: string }>('GET', `/api/v1/verifications/${sample.verificationId}/report`)).body;
    expect(report.income.monthlyPerCapita).toBe(sample.perCapitaIncome);
    expect(report.conclusion).toBe(sample.conclusion);
  });
});
