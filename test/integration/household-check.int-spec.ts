/**
 * A household check end to end over real Kafka and PostgreSQL, every app its own process (dist/):
 * gateway, aggregator, four department adapters and two bank adapters. Department data is loaded with
 * the real import command; the officer uses the public API only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { randomUUID } from 'crypto';
import { QueryFailed, QueryFailureCode, QueryRequested, queryRequestedTopic, Topics } from '@verihub/contracts';
import { auditSubjectOf, generateSigningKeyPair, parsePrivateKey, queryTokenClaimsFor, signQueryToken, todayInShanghai } from '@verihub/domain';
import { generateSyntheticHouseholds, writeSyntheticData, type SyntheticHousehold } from '@verihub/exchange';
import { readDeadLetters } from '@verihub/messaging';
import { DistributedSystem, LOG_DIR, ROOT, waitFor } from './system';

jest.setTimeout(240_000);

const PROVIDER_DEADLINE_MS = 10_000;
const system = new DistributedSystem({ providerDeadlineMs: PROVIDER_DEADLINE_MS });
const dataOptions = { households: 24, seed: 42, banks: system.banks, asOf: todayInShanghai(), regionCodes: ['500115'] };
let households: SyntheticHousehold[] = [];
let officerToken = '';

interface Source {
  provider: string;
  status: string;
  records: number;
  respondedAt: string | null;
  late?: boolean;
}
interface VerificationView {
  id: string;
  status: string;
  reportVersion?: number;
  sources: Source[];
}

async function api<T>(method: string, path: string, body?: unknown, token = officerToken): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.gatewayUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function submit(household: SyntheticHousehold): Promise<string> {
  const created = await api<{ id: string; status: string }>('POST', '/api/v1/verifications', household.request);
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('pending');
  return created.body.id;
}

function verificationIn(id: string, statuses: string[], minVersion = 1): Promise<VerificationView> {
  return waitFor(`verification ${id} to be ${statuses.join('/')} with report v${minVersion}`, async () => {
    const view = await api<VerificationView>('GET', `/api/v1/verifications/${id}`);
    return statuses.includes(view.body.status) && (view.body.reportVersion ?? 0) >= minVersion ? view.body : undefined;
  }, 90_000, 300);
}

function householdWith(trait: string, exclude: SyntheticHousehold[] = []): SyntheticHousehold {
  const found = households.find((h) => h.traits.includes(trait as never) && !exclude.includes(h));
  if (!found) throw new Error(`no synthetic household with ${trait}`);
  return found;
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
  const dir = mkdtempSync(join(tmpdir(), 'verihub-it-data-'));
  try {
    const manifest = await writeSyntheticData(dir, dataOptions);
    for (const file of manifest.files) {
      const out = system.runToCompletion('cli', ['data', 'import', file.provider, file.file]);
      expect(out).toMatch(/Loaded \d+ records?/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  households = [...generateSyntheticHouseholds(dataOptions)];

  system.startAll();
  await waitFor('the gateway', async () => ((await fetch(`${system.gatewayUrl}/api/v1/health`).catch(() => undefined))?.ok ? true : undefined), 90_000);

  const admin = await api<{ accessToken: string }>('POST', '/api/v1/auth/token', { username: 'admin', password: system.adminPassword }, '');
  expect(admin.status).toBe(200);
  const adminToken = admin.body.accessToken;
  const officer = await api('POST', '/api/v1/users', { username: 'officer-it', password: 'officer-password-1', role: 'officer', regionCode: '500115' }, adminToken);
  expect(officer.status).toBe(201);
  const policy = await api('POST', '/api/v1/policies', {
    regionCode: '500115', program: 'dibao', effectiveFrom: '2026-01-01',
    standardMonthly: { urban: 78000, rural: 62000 }, incomeLookbackMonths: 12, financialAssetsMonthsLimit: 24,
    maxCountedVehicles: 0, exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
    maxResidentialProperties: 1, maxNonResidentialProperties: 0, employmentDeductionMonthly: 0,
    discrepancyTolerance: { absolute: 10000, relative: 0.1 },
  }, adminToken);
  expect(policy.status).toBe(201);
  const token = await api<{ accessToken: string }>('POST', '/api/v1/auth/token', { username: 'officer-it', password: 'officer-password-1' }, '');
  officerToken = token.body.accessToken;
});

afterAll(async () => {
  await system.tearDown();
});

const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB'];

describe('a household check over Kafka, every app its own process', () => {
  it('collects an answer from every provider and issues the report', async () => {
    const household = householdWith('two_banks');
    const id = await submit(household);
    const view = await verificationIn(id, ['complete']);
    expect(view.sources.map((s) => s.provider).sort()).toEqual([...PROVIDERS].sort());
    for (const source of view.sources) {
      expect(['answered', 'no_record']).toContain(source.status);
      expect(source.respondedAt).toMatch(/[+-]\d{2}:\d{2}$|Z$/);
    }
    const report = await api<{ version: number; verificationId: string; sources: Source[]; members: { identity: string }[]; conclusion: string }>(
      'GET', `/api/v1/verifications/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body.verificationId).toBe(id);
    expect(report.body.version).toBe(1);
    expect(report.body.sources).toHaveLength(PROVIDERS.length);
    // Both banks hold accounts of this household, and public security knows its members.
    for (const provider of ['bank:ICBC', 'bank:CCB', 'public-security']) {
      const source = report.body.sources.find((s) => s.provider === provider)!;
      expect(source.status).toBe('answered');
      expect(source.records).toBeGreaterThan(0);
    }
    expect(report.body.members.every((m) => m.identity === 'verified' || m.identity === 'mismatch')).toBe(true);
    expect(['within_limits', 'exceeds_limits']).toContain(report.body.conclusion);
  });

  it('marks a stopped adapter as timed out, issues a partial report, and records its late answer after a restart', async () => {
    const household = householdWith('provident_fund_wages');
    await system.stop('adapter-provident-fund');
    const id = await submit(household);
    const partial = await verificationIn(id, ['partial']);
    const silent = partial.sources.find((s) => s.provider === 'provident-fund')!;
    expect(silent.status).toBe('timeout');
    expect(partial.reportVersion).toBe(1);
    const v1 = await api<{ tests: Record<string, string>; conclusion: string }>('GET', `/api/v1/verifications/${id}/report`);
    expect(v1.body.tests.income).toBe('unknown');

    system.start('adapter-provident-fund');
    const late = await waitFor('the late provident-fund answer', async () => {
      const view = await api<VerificationView>('GET', `/api/v1/verifications/${id}`);
      const fund = view.body.sources.find((s) => s.provider === 'provident-fund');
      return view.body.reportVersion === 2 && fund && fund.status !== 'timeout' ? view.body : undefined;
    }, 90_000, 300);
    const fund = late.sources.find((s) => s.provider === 'provident-fund')!;
    expect(fund.status).toBe('answered');
    expect(fund.records).toBeGreaterThan(0);
    expect(fund.late).toBe(true);
    const v2 = await api<{ version: number; sources: Source[] }>('GET', `/api/v1/verifications/${id}/report?version=2`);
    expect(v2.body.sources.find((s) => s.provider === 'provident-fund')!.status).toBe('answered');
    const first = await api<{ version: number; sources: Source[] }>('GET', `/api/v1/verifications/${id}/report?version=1`);
    expect(first.body.version).toBe(1);
    expect(first.body.sources.find((s) => s.provider === 'provident-fund')!.status).toBe('timeout');
  });

  it('finishes a check after the aggregator is killed mid-check, asking no provider twice and losing no answer', async () => {
    const household = householdWith('several_properties');
    const id = await submit(household);
    // Kill the aggregator as soon as it has fanned the check out, while the answers are still coming.
    await waitFor('the fan-out', async () => {
      const rows = await sql<{ n: string }>('SELECT count(*) AS n FROM aggregator.provider_requests WHERE verification_id = $1', [id]);
      return Number(rows[0].n) === PROVIDERS.length ? true : undefined;
    }, 30_000, 20);
    await system.stop('aggregator', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    system.start('aggregator');
    const restartedAt = Date.now();

    // What the officer expects of an aggregator that was down for a second and a half, far less than the
    // providers' deadline: the check simply completes — report version 1, nobody timed out, nothing late.
    // (The providers answered at once; their answers waited in Kafka until the restarted aggregator got its
    // partitions back, a consumer session — 10 s — after the crash. Its deadline sweeper waits for that too.)
    const view = await verificationIn(id, ['complete']);
    const restartToComplete = Date.now() - restartedAt;
    expect(view.reportVersion).toBe(1);
    for (const source of view.sources) {
      expect(['answered', 'no_record']).toContain(source.status);
      expect(source.late ?? false).toBe(false);
    }
    expect(restartToComplete).toBeLessThan(25_000);
    const versions = await api<{ items: { version: number; changeReason: string }[] }>('GET', `/api/v1/verifications/${id}/report/versions`);
    expect(versions.body.items.map((v) => [v.version, v.changeReason])).toEqual([[1, 'first issue']]);
    const report = await api<{ version: number; sources: Source[] }>('GET', `/api/v1/verifications/${id}/report`);
    expect(report.body.version).toBe(1);
    expect(report.body.sources.filter((s) => s.status === 'timeout' || s.late)).toEqual([]);
    const stored = await sql<{ provider: string; status: string; late: boolean }>(
      'SELECT provider, status, late FROM aggregator.provider_requests WHERE verification_id = $1', [id]);
    expect(stored.filter((r) => r.status === 'timeout' || r.late)).toEqual([]);

    const requests = await sql<{ provider: string; n: string }>(
      'SELECT provider, count(*) AS n FROM aggregator.provider_requests WHERE verification_id = $1 GROUP BY provider', [id]);
    expect(requests.map((r) => [r.provider, Number(r.n)]).sort()).toEqual(PROVIDERS.map((p) => [p, 1]).sort());
    const answers = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id)
       WHERE r.verification_id = $1`, [id]);
    expect(Number(answers[0].n)).toBe(PROVIDERS.length);
    // Each department looked its data up once for this check, whatever the outbox republished.
    for (const schema of ['adapter_public_security', 'adapter_tax', 'adapter_housing', 'adapter_provident_fund', 'adapter_bank_icbc', 'adapter_bank_ccb']) {
      const handled = await sql<{ outcome: string }>(`SELECT outcome FROM ${schema}.handled_requests WHERE verification_id = $1`, [id]);
      expect({ schema, outcomes: handled.map((h) => h.outcome) }).toEqual({ schema, outcomes: ['answered'] });
    }
  });

  it('moves a malformed message on a request topic to the dead-letter topic with the reason, and keeps consuming', async () => {
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    const kafka = new Kafka({ clientId: 'verihub-it', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const key = `garbage-${system.runId}`;
    try {
      await producer.send({ topic: queryRequestedTopic('tax'), messages: [{ key, value: Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]) }] });
    } finally {
      await producer.disconnect();
    }
    const messaging = { transport: 'kafka' as const, brokers, clientId: 'verihub-it-dlt', groupId: 'unused' };
    const letter = await waitFor('the dead letter', async () => (await readDeadLetters(messaging, { timeoutMs: 10_000 })).find((d) => d.key === key), 60_000, 1000);
    expect(letter.originalTopic).toBe(queryRequestedTopic('tax'));
    expect(letter.reason).toMatch(/decode|malformed|invalid/i);
    expect(letter.value.equals(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]))).toBe(true);

    // The tax adapter's consumer went on: a new check gets its answer.
    const id = await submit(householdWith('rent_income'));
    const view = await verificationIn(id, ['complete']);
    expect(view.sources.find((s) => s.provider === 'tax')!.status).toBe('answered');
  });

  it('refuses a well-formed request written to the tax topic by a component holding no key: QueryFailed UNAUTHORIZED, no data', async () => {
    // A real seeded household, with its authorization references: everything right except the token,
    // which the intruder can only sign with a key of its own (the member hashes even use the real key).
    const household = households[0];
    const verificationId = randomUUID();
    const requestId = randomUUID();
    const members = household.request.members.map((m) => ({ idNumber: m.idNumber, name: m.name }));
    const deadline = new Date(Date.now() + 60_000);
    const unsigned = {
      requestId,
      verificationId,
      provider: 'tax',
      members,
      incomePeriod: { from: '2025-11', to: '2026-10' },
      assetsAsOf: todayInShanghai(),
      authorizations: household.request.authorizations,
      deadline: deadline.toISOString(),
      program: household.request.program,
      purpose: 'application',
      regionCode: household.request.regionCode,
    };
    const claims = queryTokenClaimsFor(
      { provider: 'tax', verificationId, requestId, purpose: 'application', program: household.request.program, idNumbers: members.map((m) => m.idNumber), deadline },
      system.keys.identityHashKey,
      new Date(),
    );
    const forged = QueryRequested.fromPartial({ ...unsigned, queryToken: signQueryToken(claims, parsePrivateKey(generateSigningKeyPair().privateKey)) });

    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    const kafka = new Kafka({ clientId: 'verihub-it-intruder', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic: queryRequestedTopic('tax'), messages: [{ key: verificationId, value: Buffer.from(QueryRequested.encode(forged).finish()) }] });
    } finally {
      await producer.disconnect();
    }

    const [handled] = await waitFor('the tax adapter to handle the forged request', async () => {
      const rows = await sql<{ outcome: string; record_count: number | null }>(`SELECT outcome, record_count FROM adapter_tax.handled_requests WHERE request_id = $1`, [requestId]);
      return rows.length > 0 && rows[0].outcome !== 'pending' ? rows : undefined;
    }, 60_000, 300);
    expect(handled).toEqual({ outcome: 'unauthorized', record_count: null });

    // The tax adapter left its own trace in the audit log: refused, forged token, the people by keyed hash only.
    const [entry] = await waitFor('the adapter\'s refusal in the audit log', async () => {
      const rows = await sql<{ source_service: string; actor_username: string; action: string; provider: string; outcome_status: string; data_categories: string[]; subject_hashes: string[]; subjects_masked: string[] }>(
        `SELECT source_service, actor_username, action, provider, outcome_status, data_categories, subject_hashes, subjects_masked
           FROM audit.entries WHERE verification_id = $1 AND source_service = 'adapter-tax'`,
        [verificationId],
      );
      return rows.length > 0 ? rows : undefined;
    }, 60_000, 300);
    expect(entry).toMatchObject({
      source_service: 'adapter-tax',
      actor_username: 'provider:tax',
      action: 'provider_answer_received',
      provider: 'tax',
      outcome_status: 'refused',
      data_categories: ['query_token_forged'],
    });
    expect(entry.subject_hashes).toEqual([...new Set(members.map((m) => m.idNumber))].map((id) => auditSubjectOf(id, system.keys.identityHashKey).idHash));
    expect(JSON.stringify(entry)).not.toMatch(/\d{17}[\dX]/);

    // What the adapter published is a QueryFailed (the aggregator, which never made this request, dead-letters it).
    const messaging = { transport: 'kafka' as const, brokers, clientId: 'verihub-it-dlt-token', groupId: 'unused' };
    const letter = await waitFor('the refusal', async () => (await readDeadLetters(messaging, { timeoutMs: 10_000 })).find((d) => d.key === verificationId), 60_000, 1000);
    expect(letter.originalTopic).toBe(Topics.queryFailed);
    const failure = QueryFailed.decode(letter.value);
    expect(failure).toMatchObject({ requestId, provider: 'tax', code: QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED });
    expect(failure.reason).toMatch(/^query token unknown key/);
    expect(failure.signature).not.toBe('');
  });

  it("produces exactly the README's worked example from its department files", async () => {
    const dir = join(ROOT, 'docs', 'worked-example');
    for (const [provider, file] of [
      ['public-security', 'public-security.jsonl'], ['tax', 'tax.jsonl'], ['housing', 'housing.jsonl'],
      ['provident-fund', 'provident-fund.jsonl'], ['bank:ICBC', 'bank-ICBC.jsonl'], ['bank:CCB', 'bank-CCB.jsonl'],
    ]) {
      system.runToCompletion('cli', ['data', 'import', provider, join(dir, file)]);
    }
    const request = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'));
    const created = await api<{ id: string }>('POST', '/api/v1/verifications', request);
    expect(created.status).toBe(201);
    await verificationIn(created.body.id, ['complete']);
    const { body: report } = await api<{
      household: { memberCount: number; hukouType: string };
      income: { byCategory: Record<string, number>; monthlyTotal: number; monthlyPerCapita: number };
      assets: { financialTotal: number; countedVehicles: number; residentialProperties: number; nonResidentialProperties: number;
        residentialAreaPerCapitaM2: number; providentFundBalance: number };
      tests: Record<string, string>;
      conclusion: string;
      discrepancies: { kind: string; category?: string; declared?: number; verified?: number; tolerance?: number }[];
    }>('GET', `/api/v1/verifications/${created.body.id}/report`);
    // The figures the README works out by hand.
    expect(report.household).toMatchObject({ memberCount: 3, hukouType: 'urban' });
    expect(report.income.byCategory).toEqual({ wage: 202917, business: 8333, property: 10846, transfer: 20000 });
    expect(report.income.monthlyTotal).toBe(242096);
    expect(report.income.monthlyPerCapita).toBe(80699);
    expect(report.assets).toMatchObject({
      financialTotal: 4500000, countedVehicles: 0, residentialProperties: 1, nonResidentialProperties: 0,
      residentialAreaPerCapitaM2: 29.83, providentFundBalance: 1860000,
    });
    expect(report.tests).toEqual({ income: 'fail', financialAssets: 'pass', vehicles: 'pass', realEstate: 'pass' });
    expect(report.conclusion).toBe('exceeds_limits');
    expect(report.discrepancies.map((d) => [d.kind, d.category ?? null, d.declared ?? null, d.verified ?? null, d.tolerance ?? null])).toEqual([
      ['income_understated', 'wage', 180000, 202917, 20291],
      ['income_understated', 'property', 0, 10846, 10000],
      ['financial_assets_understated', null, 4000000, 4500000, 450000],
      ['undeclared_vehicles', null, 0, 1, null],
      ['deceased_member', null, null, null, null],
    ]);
  });

  it('lets an auditor find who looked up a person, through the gateway, with the audit chain intact', async () => {
    const worked = JSON.parse(readFileSync(join(ROOT, 'docs', 'worked-example', 'request.json'), 'utf8')) as { members: { idNumber: string }[] };
    const admin = await api<{ accessToken: string }>('POST', '/api/v1/auth/token', { username: 'admin', password: system.adminPassword }, '');
    const created = await api('POST', '/api/v1/users', { username: 'auditor-it', password: 'auditor-password-1', role: 'auditor', regionCode: '500000' }, admin.body.accessToken);
    expect(created.status).toBe(201);
    const auditor = (await api<{ accessToken: string }>('POST', '/api/v1/auth/token', { username: 'auditor-it', password: 'auditor-password-1' }, '')).body.accessToken;

    type Entries = {
      items: {
        action: string;
        sourceService: string;
        actor: { username: string } | string;
        case: { verificationId: string | null };
        provider: string | null;
        subjects: string[];
      }[];
      total: number;
    };
    const applicant = worked.members[0].idNumber;
    const found = await waitFor('the audit entries about the worked example applicant', async () => {
      const res = await api<Entries>('POST', '/api/v1/audit/entries/search', { idNumber: applicant, pageSize: 100 }, auditor);
      const actions = res.body.items?.map((i) => i.action) ?? [];
      const wanted = ['verification_created', 'report_read', 'provider_query_sent', 'provider_answer_received'];
      const departmentsToo = res.body.items?.some((i) => i.sourceService === 'adapter-tax') ?? false;
      return wanted.every((a) => actions.includes(a)) && departmentsToo ? res.body : undefined;
    }, 60_000, 1000);
    // The aggregator's record of each query to a department and each answer, and each department's own record of
    // answering, about the same case.
    const createdCases = new Set(found.items.filter((i) => i.action === 'verification_created').map((i) => i.case.verificationId));
    const providerActs = found.items.filter((i) => i.action === 'provider_query_sent' || i.action === 'provider_answer_received');
    expect(providerActs.every((i) => /^(aggregator|adapter-[a-z0-9-]+)$/.test(i.sourceService) && i.provider !== null && createdCases.has(i.case.verificationId))).toBe(true);
    expect(providerActs.filter((i) => i.action === 'provider_query_sent').every((i) => i.sourceService === 'aggregator')).toBe(true);
    expect([...new Set(providerActs.map((i) => i.sourceService))]).toContain('adapter-tax');
    expect(new Set(providerActs.filter((i) => i.action === 'provider_query_sent').map((i) => i.provider))).toContain('tax');
    expect(JSON.stringify(found)).not.toContain(applicant);
    expect(found.items.every((i) => i.subjects.every((m) => /^\d{6}\*{8}\d{3}[\dX]$/.test(m)))).toBe(true);

    // Officers may not read the log; the chain verifies.
    expect((await api('POST', '/api/v1/audit/entries/search', { idNumber: applicant }, officerToken)).status).toBe(403);
    const chain = await api<{ ok: boolean; count: number }>('GET', '/api/v1/audit/chain', undefined, auditor);
    expect(chain.status).toBe(200);
    expect(chain.body.ok).toBe(true);
    expect(chain.body.count).toBeGreaterThan(0);
  });

  it('never wrote an identity number or a name of the households into any process log', () => {
    const worked = JSON.parse(readFileSync(join(ROOT, 'docs', 'worked-example', 'request.json'), 'utf8')) as { members: { idNumber: string; name: string }[] };
    const people = [...households.flatMap((h) => h.request.members), ...worked.members];
    const logs = readdirSync(LOG_DIR)
      .filter((f) => f.startsWith(`${system.runId}-`))
      .map((f) => ({ file: f, text: readFileSync(join(LOG_DIR, f), 'utf8') }));
    expect(logs.length).toBeGreaterThanOrEqual(system.specs.length);
    const leaks: string[] = [];
    for (const { file, text } of logs) {
      for (const person of people) {
        if (text.includes(person.idNumber)) leaks.push(`${file}: identity number ${person.idNumber.slice(0, 6)}…`);
        if (person.name.length >= 2 && text.includes(person.name)) leaks.push(`${file}: a member's name`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
