#!/usr/bin/env node
// `npm run build`: compiles every app into dist/apps/<app>/main.js in one webpack pass (webpack.config.js).
const path = require('path');
const webpack = require('webpack');

const config = require(path.resolve(__dirname, '..', 'webpack.config.js'));
const started = Date.now();
webpack(config, (err, stats) => {
  if (err) {
    console.error(err.stack || err);
    process.exit(1);
  }
  const info = stats.toString({ preset: 'errors-warnings', colors: false });
  if (info.trim()) console.error(info);
  if (stats.hasErrors()) process.exit(1);
  console.error(`built ${Object.keys(config.entry).length} apps into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
