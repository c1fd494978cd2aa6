#!/usr/bin/env bash
# The browser tier in CI: Debian's chromium (installed with apt-get when missing; no Playwright browser
# download) drives the web console of the single-process system. Usage: browser-tests.sh <jest-json-output>
# Screenshots land in docs/screenshots/ (or VERIHUB_SCREENSHOT_DIR); the hub's log in test-results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:?usage: scripts/ci/browser-tests.sh <jest-json-output-file>}"

if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  # a CJK font so the Chinese pages render in the screenshots
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
[ -f dist/apps/hub/main.js ] && [ -f dist/apps/console/index.html ] || npm run build
npx jest --config jest.browser.config.js --runInBand --json --outputFile="$out"
