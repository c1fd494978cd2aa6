#!/usr/bin/env node
// `npm run bench [-- options]`: builds the apps (when stale) and the benchmark itself (scripts/bench/src, TypeScript,
// compiled with the repository's webpack configuration into dist/bench/main.js), then runs it. See docs/benchmark.md.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureBuilt, root } = require('../ensure-built');

const APPS = ['audit', 'gateway', 'aggregator', 'adapter-public-security', 'adapter-tax', 'adapter-housing', 'adapter-provident-fund', 'adapter-bank', 'cli'];
const benchMain = path.join(root, 'dist', 'bench', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles scripts/bench/src/main.ts (it imports libs/*) when dist/bench/main.js is missing or older than its sources. */
function buildBench() {
  const built = fs.existsSync(benchMain) ? fs.statSync(benchMain).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(__dirname, 'src')), newestMtime(path.join(root, 'libs')));
  if (built >= sources) return Promise.resolve();
  process.stderr.write('bench: building dist/bench/main.js...\n');
  const webpack = require('webpack');
  const config = { ...require(path.join(root, 'webpack.config.js')), entry: { 'bench/main': path.join(__dirname, 'src', 'main.ts') } };
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ preset: 'errors-only', colors: false })));
      resolve();
    }),
  );
}

async function main() {
  ensureBuilt(APPS);
  await buildBench();
  const child = spawn(process.execPath, ['--enable-source-maps', benchMain, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  // Ctrl+C reaches the whole foreground group; the bench shuts its processes down and exits on its own.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack || err.message}\n`);
  process.exit(1);
});
