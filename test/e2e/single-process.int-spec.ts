/**
 * `npm start`'s mode as a user meets it: one process (dist/apps/hub), an embedded PostgreSQL in a data
 * directory, seeded department data, demo accounts. A check completes; the data survives a restart; the
 * import command loads into the running hub's database; a hub killed with SIGKILL can be started again.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { distMain, freePort, ROOT, waitFor } from '../integration/system';

jest.setTimeout(240_000);

const dataDir = mkdtempSync(join(tmpdir(), 'verihub-e2e-'));
let port = 0;
let hub: ChildProcess | undefined;
let output = '';

function env(): NodeJS.ProcessEnv {
  return { ...process.env, VERIHUB_DATA_DIR: dataDir, PORT: String(port), VERIHUB_SEED_HOUSEHOLDS: '40', VERIHUB_BANKS: 'ICBC,CCB' };
}

async function startHub(): Promise<void> {
  output = '';
  hub = spawn(process.execPath, [distMain('hub')], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  hub.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  hub.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    hub!.once('exit', (code) => reject(new Error(`the hub exited (${code}) before it was ready:\n${output.slice(-3000)}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    waitFor('the hub to announce itself', async () => (output.includes('verihub is running') ? true : undefined), 120_000, 200).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.slice(-3000)}`);
    }),
  ]);
}

async function stopHub(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const child = hub;
  hub = undefined;
  if (!child || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function login(username: string): Promise<string> {
  const res = await call<{ accessToken: string }>('POST', '/api/v1/auth/token', { username, password: 'verihub-demo' });
  expect(res.status).toBe(200);
  return res.body.accessToken;
}

beforeAll(async () => {
  port = await freePort();
});

afterAll(async () => {
  await stopHub();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('single-process mode (npm start)', () => {
  let verificationId = '';

  it('starts seeded, prints where it listens and who can sign in, and answers a household check', async () => {
    await startHub();
    expect(output).toContain(`http://localhost:${port}`);
    expect(output).toMatch(/officer, reviewer, auditor, admin/);
    const requests = readFileSync(join(dataDir, 'demo-households.jsonl'), 'utf8').trim().split('\n');
    expect(requests).toHaveLength(40);

    const token = await login('officer');
    const created = await call<{ id: string }>('POST', '/api/v1/verifications', JSON.parse(requests[1]), token);
    expect(created.status).toBe(201);
    verificationId = created.body.id;
    const done = await waitFor('the check to complete', async () => {
      const view = await call<{ status: string; sources: { provider: string; status: string }[] }>('GET', `/api/v1/verifications/${verificationId}`, undefined, token);
      return view.body.status === 'complete' ? view.body : undefined;
    }, 60_000, 200);
    expect(done.sources.map((s) => s.provider).sort()).toEqual(['bank:CCB', 'bank:ICBC', 'housing', 'provident-fund', 'public-security', 'tax']);
    const report = await call<{ conclusion: string }>('GET', `/api/v1/verifications/${verificationId}/report`, undefined, token);
    expect(['within_limits', 'exceeds_limits', 'incomplete']).toContain(report.body.conclusion);

    const docs = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
    expect(docs.status).toBe(200);
    expect(Object.keys(((await docs.json()) as { paths: object }).paths)).toContain('/api/v1/verifications');
  });

  it('imports department data into the running hub with the verihub command, refusing a bad file whole', () => {
    const good = join(dataDir, 'tax-extra.jsonl');
    writeFileSync(good, JSON.stringify({ type: 'income', idNumber: '11010519491231002X', period: '2026-03', item: 'wage', incomeFen: 650000, taxFen: 1500, withholder: '重庆某某有限公司' }) + '\n');
    const ok = spawnSync(process.execPath, [distMain('cli'), 'data', 'import', 'tax', good], { cwd: ROOT, env: env(), encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Loaded 1 record/);

    const bad = join(dataDir, 'tax-bad.jsonl');
    writeFileSync(bad, readFileSync(good, 'utf8') + JSON.stringify({ type: 'income', idNumber: '110105194912310021', period: '2026-13', item: 'wage', incomeFen: 1.5, taxFen: 0, withholder: 'x' }) + '\n');
    const refused = spawnSync(process.execPath, [distMain('cli'), 'data', 'import', 'tax', bad], { cwd: ROOT, env: env(), encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr + refused.stdout).toMatch(/line 2: .*idNumber.*check/);
    expect(refused.stderr + refused.stdout).toMatch(/nothing was loaded/);
  });

  it('keeps its data across a restart, and starts again after being killed', async () => {
    expect(await stopHub('SIGTERM')).toBe(0);
    await startHub();
    const token = await login('officer');
    const again = await call<{ status: string }>('GET', `/api/v1/verifications/${verificationId}`, undefined, token);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('complete');
    expect(output).toMatch(/already seeded/);

    await stopHub('SIGKILL');
    await startHub();
    const afterCrash = await call<{ status: string }>('GET', `/api/v1/verifications/${verificationId}`, undefined, await login('officer'));
    expect(afterCrash.body.status).toBe('complete');
  });
});
