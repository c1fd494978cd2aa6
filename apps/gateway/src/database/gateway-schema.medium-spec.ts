import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '@verihub/persistence';
import { createTestDatabase, type TestDatabase } from '../../../../test/medium/test-database';
import { migrateGateway } from '../gateway.app';
import { gatewayDataSourceOptions } from './gateway-database';

describe('gateway schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createTestDatabase();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('migrates an empty database, and a second run applies nothing', async () => {
    const applied = await migrateGateway({ databaseUrl: db.url });
    expect(applied).toEqual(['CreateOutbox1794999999999', 'CreateGatewayTables1795000000000', 'CreateReviewTables1795100000000', 'HardenUserAccounts1795200000000', 'CreateAuditOpenings1795300000000', 'CreateAuthorizationRecords1795400000000', 'EncryptPersonalData1795500000000', 'CreateBatches1795600000000', 'AddOutboxTopicIndex1795700000000', 'CountBatchProgress1795800000000']);
    expect(await migrateGateway({ databaseUrl: db.url })).toEqual([]);
  });

  it('has no drift: the migrations describe the entities exactly', async () => {
    dataSource = new DataSource(gatewayDataSourceOptions(db.url));
    await dataSource.initialize();
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('refuses a second policy with the same region, programme and version, and an unknown role', async () => {
    const insertPolicy = (id: string) =>
      dataSource.query(
        `INSERT INTO gateway.policies (id, version, region_code, program, effective_from, rules, created_by)
         VALUES ($1, 1, '500115', 'dibao', '2026-01-01', '{}', 'test')`,
        [id],
      );
    await insertPolicy('00000000-0000-4000-8000-000000000001');
    await expect(insertPolicy('00000000-0000-4000-8000-000000000002')).rejects.toThrow(/policies_region_program_version_key/);
    await expect(
      dataSource.query(
        `INSERT INTO gateway.users (id, username, password_hash, role, region_code) VALUES (gen_random_uuid(), 'x', 'h', 'king', '500115')`,
      ),
    ).rejects.toThrow(/users_role_check/);
  });
});
