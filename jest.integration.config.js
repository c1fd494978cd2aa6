// The Kafka/PostgreSQL integration tier (*.int-spec.ts): real broker at KAFKA_BROKERS (scripts/kafka/start.sh),
// real PostgreSQL, and for the system suites every app as its own process from dist/ (npm run build first).
const { moduleNameMapper, transform } = require('./jest.shared');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/console/'],
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/integration/global-setup.ts',
  testTimeout: 180000,
  maxWorkers: 1,
};
