// Builds dist/ when it is missing or older than the sources, so that `npm install && npm start`
// works on a fresh clone without a separate build step. The apps (webpack) and the web console (Vite)
// are checked separately: a change to one rebuilds only that one.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const CONSOLE_DIR = path.join(root, 'apps', 'console');

function newestMtime(dir, pattern, skip = () => false) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.name === 'node_modules' || skip(full)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, pattern, skip));
    else if (pattern.test(entry.name) && !/spec\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const mtimeOf = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

function build(only) {
  process.stderr.write(`verihub: building ${only === 'console' ? 'the console' : 'the apps'} (npm run build)...\n`);
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js'), `--only=${only}`], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

function ensureBuilt(apps) {
  const mains = apps.map((app) => path.join(root, 'dist', 'apps', app, 'main.js'));
  const built = mains.every((m) => fs.existsSync(m)) ? Math.min(...mains.map((m) => fs.statSync(m).mtimeMs)) : 0;
  const isConsole = (full) => full === CONSOLE_DIR;
  const sources = Math.max(newestMtime(path.join(root, 'apps'), /\.(ts|json)$/, isConsole), newestMtime(path.join(root, 'libs'), /\.(ts|json)$/));
  if (built < sources) build('apps');
  // The hub serves the console; the command-line tools do not need it.
  if (apps.includes('hub')) ensureConsoleBuilt();
}

/** The console shares libs/domain's identity-number rule, so a change there rebuilds it too. */
function ensureConsoleBuilt() {
  const built = mtimeOf(path.join(root, 'dist', 'apps', 'console', 'index.html'));
  const sources = Math.max(
    newestMtime(CONSOLE_DIR, /\.(tsx?|mjs|html|json)$/),
    newestMtime(path.join(root, 'libs', 'domain', 'src'), /\.ts$/),
    mtimeOf(path.join(root, 'package-lock.json')),
  );
  if (built < sources) build('console');
}

module.exports = { ensureBuilt, ensureConsoleBuilt, root };
