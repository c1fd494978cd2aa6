#!/usr/bin/env node
// `npm start`: every service in one process (apps/hub) on an embedded PostgreSQL, in-process transport.
const { spawn } = require('child_process');
const path = require('path');
const { ensureBuilt, root } = require('./ensure-built');

ensureBuilt(['hub', 'cli']);
const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', 'hub', 'main.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, VERIHUB_ROOT: root },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
