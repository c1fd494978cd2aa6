/** The single-process system (`npm start`'s mode) from dist/, on a free port and a throwaway data directory. */
import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

export const ROOT = resolve(__dirname, '../..');
/** The hub's output, kept for CI (test-results/ is collected). */
const LOG = join(ROOT, 'test-results', 'browser-hub.log');

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

export interface RunningHub {
  url: string;
  dataDir: string;
  households(): Record<string, unknown>[];
  output(): string;
  stop(): Promise<void>;
}

export async function startHub(): Promise<RunningHub> {
  for (const built of ['dist/apps/hub/main.js', 'dist/apps/console/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the browser tests`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'verihub-browser-'));
  const port = await freePort();
  let output = '';
  // No VERIHUB_STATIC_DIR: the hub serves dist/apps/console by default, as `npm start` does.
  const env: NodeJS.ProcessEnv = { ...process.env, VERIHUB_DATA_DIR: dataDir, PORT: String(port), VERIHUB_SEED_HOUSEHOLDS: '40', VERIHUB_BANKS: 'ICBC,CCB' };
  delete env.VERIHUB_STATIC_DIR;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/apps/hub/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`the hub exited unexpectedly (${code ?? signal}); its output is in ${LOG}\n`);
    mkdirSync(dirname(LOG), { recursive: true });
    writeFileSync(LOG, output);
  });
  const deadline = Date.now() + 120_000;
  while (!output.includes('verihub is running')) {
    if (child.exitCode !== null) throw new Error(`the hub exited (${child.exitCode}):\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the hub did not start in 120 s:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    households: () =>
      readFileSync(join(dataDir, 'demo-households.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    output: () => output,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
