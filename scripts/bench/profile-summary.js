#!/usr/bin/env node
/**
 * Summarises V8 CPU profiles (`npm run bench -- --cpu-prof`, or any `node --cpu-prof` output): per profile, the
 * busy time (samples not idle) split by where the code lives — an npm package, a Node.js module, the app's own
 * bundle — and the functions with the most self time. Usage: node scripts/bench/profile-summary.js <dir|file...>
 */
'use strict';
const { readFileSync, readdirSync, statSync } = require('fs');
const { basename, join } = require('path');

function filesOf(args) {
  return args.flatMap((arg) =>
    statSync(arg).isDirectory() ? readdirSync(arg).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(arg, f)) : [arg],
  );
}

/** Where a frame's code lives: "pg", "typeorm", "node:crypto", "app", "(garbage collector)", ... */
function placeOf(frame) {
  const url = frame.url || '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
  return 'app';
}

function summarise(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) || 0) + 1);
  const total = profile.samples.length;
  const interval = (profile.endTime - profile.startTime) / Math.max(1, total) / 1000; // ms per sample
  const places = new Map();
  const functions = new Map();
  let idle = 0;
  for (const [id, n] of counts) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') {
      idle += n;
      continue;
    }
    const place = placeOf(frame);
    places.set(place, (places.get(place) || 0) + n);
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) || 0) + n);
  }
  const busy = total - idle;
  const pct = (n) => `${((100 * n) / Math.max(1, busy)).toFixed(1)} %`;
  const lines = [`## ${basename(file)}: busy ${((busy * interval) / 1000).toFixed(1)} s of ${((total * interval) / 1000).toFixed(1)} s sampled`];
  lines.push('', 'where | share of busy', '---|---');
  for (const [place, n] of [...places].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`${place} | ${pct(n)}`);
  lines.push('', 'function (self time) | share of busy', '---|---');
  for (const [fn, n] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`${fn} | ${pct(n)}`);
  return lines.join('\n');
}

const args = process.argv.slice(2);
if (args.length === 0) {
  process.stderr.write('usage: node scripts/bench/profile-summary.js <dir|file.cpuprofile ...>\n');
  process.exit(2);
}
process.stdout.write(filesOf(args).map(summarise).join('\n\n') + '\n');
