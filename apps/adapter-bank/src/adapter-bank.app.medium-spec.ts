/**
 * Two bank adapters over one shared exchange database (exchange_bank): each answers on its own topic, from
 * its own consumer group and state schema, with its own bank's rows only.
 */
import { Client } from 'pg';
import { QueryAnswered, QueryRequested, queryRequestedTopic, Topics } from '@verihub/contracts';
import { makeIdentityNumber } from '@verihub/domain';
import { importProviderData } from '@verihub/exchange';
import { inProcessBroker, type MessagingConfig, resetInProcessBroker } from '@verihub/messaging';
import type { RunningAdapter } from '@verihub/adapter-sdk';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import { testAdapterKeys } from '@verihub/domain/consent/testing/test-keys';
import { withQueryToken } from '../../../libs/adapter-sdk/src/testing/query-tokens';
import { bankAdapterProvider, migrateBankAdapter, startBankAdapter } from './adapter-bank.app';

const SAVER = makeIdentityNumber('500115', '1970-06-15', 51);

const holding = (accountNo: string, balanceFen: number) =>
  JSON.stringify({ type: 'holding', idNumber: SAVER, accountNo, product: 'time', balanceFen, asOf: '2026-10-31' });

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('adapter-bank, one instance per bank', () => {
  let db: TestDatabase;
  const adapters: RunningAdapter[] = [];
  const messaging: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'hub', groupId: 'hub' };

  beforeAll(async () => {
    resetInProcessBroker();
    db = await createTestDatabase();
    await Promise.all([migrateBankAdapter({ bankCode: 'ICBC', databaseUrl: db.url }), migrateBankAdapter({ bankCode: 'ccb', databaseUrl: db.url })]);
    expect(await importProviderData(db.url, 'bank:ICBC', { lines: [holding('6222000000000001', 3_000_000)] })).toMatchObject({ ok: true });
    expect(await importProviderData(db.url, 'bank:CCB', { lines: [holding('6217000000000002', 120_000)] })).toMatchObject({ ok: true });
    adapters.push(await startBankAdapter({ bankCode: 'ICBC', databaseUrl: db.url, messaging, ...testAdapterKeys('bank:ICBC') }));
    adapters.push(await startBankAdapter({ bankCode: 'ccb', databaseUrl: db.url, messaging, ...testAdapterKeys('bank:CCB') }));
  });

  afterAll(async () => {
    for (const adapter of adapters) await adapter.close();
    await db?.drop();
    resetInProcessBroker();
  });

  it('refuses what is not a bank code', () => {
    expect(() => bankAdapterProvider('')).toThrow(/not a bank code/);
    expect(() => bankAdapterProvider('IC-BC')).toThrow(/not a bank code/);
    expect(bankAdapterProvider(' icbc ')).toBe('bank:ICBC');
  });

  it('keeps each bank in its own state schema', async () => {
    expect(adapters.map((a) => [a.provider, a.topic])).toEqual([
      ['bank:ICBC', 'verihub.provider.bank-icbc.query-requested.v1'],
      ['bank:CCB', 'verihub.provider.bank-ccb.query-requested.v1'],
    ]);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'handled_requests' ORDER BY 1`);
    await client.end();
    expect(rows.map((r) => r.table_schema)).toEqual(['adapter_bank_ccb', 'adapter_bank_icbc']);
  });

  it("answers each bank's request with that bank's holdings only", async () => {
    const now = Date.now();
    for (const provider of ['bank:ICBC', 'bank:CCB']) {
      const request = QueryRequested.fromPartial({
        requestId: `ver-b:${provider}`,
        verificationId: 'ver-b',
        provider,
        members: [{ idNumber: SAVER, name: '钱七' }],
        incomePeriod: { from: '2025-11', to: '2026-10' },
        assetsAsOf: '2026-11-01',
        authorizations: [
          { idNumber: SAVER, documentRef: 'AUTH-1', signedBy: SAVER, signedAt: new Date(now - 60_000).toISOString(), expiresAt: new Date(now + 86_400_000).toISOString() },
        ],
      });
      inProcessBroker().publish([{ topic: queryRequestedTopic(provider), key: 'ver-b', value: QueryRequested.encode(withQueryToken(request, new Date())).finish() }]);
    }
    await eventually(() => inProcessBroker().read(Topics.queryAnswered).length === 2, 'both banks answering');
    const answers = inProcessBroker()
      .read(Topics.queryAnswered)
      .map((m) => QueryAnswered.decode(m.value));
    const byProvider = Object.fromEntries(answers.map((a) => [a.provider, a.records.map((r) => r.record)]));
    expect(byProvider).toEqual({
      'bank:ICBC': [{ $case: 'bankHolding', value: { accountNo: '6222000000000001', product: 'time', balanceFen: 3_000_000, asOf: '2026-10-31' } }],
      'bank:CCB': [{ $case: 'bankHolding', value: { accountNo: '6217000000000002', product: 'time', balanceFen: 120_000, asOf: '2026-10-31' } }],
    });
  });
});
