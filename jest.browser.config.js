// The browser tier (*.browser-spec.ts): the single-process system from dist/ (npm run build first), driven
// through the web console by Debian's chromium with playwright-core. scripts/ci/browser-tests.sh runs it.
const { moduleNameMapper, transform } = require('./jest.shared');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform,
  moduleNameMapper,
  testTimeout: 120000,
  maxWorkers: 1,
};
