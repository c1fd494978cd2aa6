#!/usr/bin/env node
// `npm run verihub -- <command>`: the operator CLI (apps/cli), e.g. `data import tax tax.jsonl`.
const { spawn } = require('child_process');
const path = require('path');
const { ensureBuilt, root } = require('./ensure-built');

ensureBuilt(['cli']);
const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', 'cli', 'main.js'), ...process.argv.slice(2)], {
  // npm runs scripts from the package root; relative file arguments are the caller's (INIT_CWD).
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdio: 'inherit',
  env: { ...process.env, VERIHUB_ROOT: root },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
