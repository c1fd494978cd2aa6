// Fast tiers of `npm test`: small (*.spec.ts, pure) and medium (*.medium-spec.ts, real PostgreSQL with
// migrations applied). The Kafka tier (*.int-spec.ts) has its own config: jest.integration.config.js.
const { moduleNameMapper, transform } = require('./jest.shared');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,medium-spec}.ts'],
  // apps/console's *.spec.ts are plain-logic unit tests of the console (no DOM); they run here too.
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/medium/global-setup.ts',
  globalTeardown: '<rootDir>/test/medium/global-teardown.ts',
  testTimeout: 30000,
};
