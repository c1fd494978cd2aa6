#!/usr/bin/env node
// `npm run build`: compiles every app into dist/apps/<app>/main.js (see webpack.config.js).
const { execFileSync } = require('child_process');
const path = require('path');
const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, [require.resolve('webpack/bin/webpack.js'), '--config', 'webpack.config.js'], {
  cwd: root,
  stdio: 'inherit',
});
