#!/usr/bin/env node
// `npm run build`: compiles every app into dist/apps/<app>/main.js in one webpack pass (webpack.config.js),
// then the web console (apps/console, React) into dist/apps/console with Vite's Node API.
// `--only=apps` or `--only=console` builds one of the two (scripts/ensure-built.js rebuilds what is stale).
const path = require('path');

const root = path.resolve(__dirname, '..');
const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '').slice('--only='.length);

function buildApps() {
  const webpack = require('webpack');
  const config = require(path.join(root, 'webpack.config.js'));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      const info = stats.toString({ preset: 'errors-warnings', colors: false });
      if (info.trim()) console.error(info);
      if (stats.hasErrors()) return reject(new Error('webpack failed'));
      console.error(`built ${Object.keys(config.entry).length} apps into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}

async function buildConsole() {
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'apps', 'console', 'vite.config.mjs'), mode: 'production' });
  console.error(`built the console into dist/apps/console in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

(async () => {
  if (only !== 'console') await buildApps();
  if (only !== 'apps') await buildConsole();
})().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
