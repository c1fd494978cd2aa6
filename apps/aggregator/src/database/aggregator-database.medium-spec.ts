import { DataSource } from 'typeorm';
import { migrateServiceDatabase, pendingSchemaChanges } from '@verihub/persistence';
import { TestDatabase, createTestDatabase } from '../../../../test/medium/test-database';
import { AGGREGATOR_SCHEMA, aggregatorDatabaseOptions } from './aggregator-database';

describe('aggregator schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(aggregatorDatabaseOptions(db.url));
    await migrateServiceDatabase(dataSource, AGGREGATOR_SCHEMA);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('is described exactly by its migrations (no drift between entities and migrations)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('applies nothing the second time the migrations run', async () => {
    expect(await migrateServiceDatabase(dataSource, AGGREGATOR_SCHEMA)).toEqual([]);
  });
});
