// Builds dist/ when it is missing or older than the sources, so that `npm install && npm start`
// works on a fresh clone without a separate build step.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'console') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (/\.(ts|json)$/.test(entry.name) && !/spec\.ts$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuilt(apps) {
  const mains = apps.map((app) => path.join(root, 'dist', 'apps', app, 'main.js'));
  const built = mains.every((m) => fs.existsSync(m)) ? Math.min(...mains.map((m) => fs.statSync(m).mtimeMs)) : 0;
  const sources = Math.max(newestMtime(path.join(root, 'apps')), newestMtime(path.join(root, 'libs')));
  if (built >= sources) return;
  process.stderr.write('verihub: building (npm run build)...\n');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

module.exports = { ensureBuilt, root };
