/**
 * The tax adapter app as the hub runs it: its migrations (exchange_tax + adapter_tax), an exchange database
 * loaded from JSON Lines, a request over the in-process transport, the answer read back.
 */
import { QueryAnswered, QueryRequested, queryRequestedTopic, Topics } from '@verihub/contracts';
import { fromProviderRecord } from '@verihub/contracts';
import { makeIdentityNumber } from '@verihub/domain';
import { importProviderData } from '@verihub/exchange';
import { inProcessBroker, type MessagingConfig, resetInProcessBroker } from '@verihub/messaging';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import type { RunningAdapter } from '@verihub/adapter-sdk';
import { testAdapterKeys } from '@verihub/domain/consent/testing/test-keys';
import { withQueryToken } from '../../../libs/adapter-sdk/src/testing/query-tokens';
import { migrateTaxAdapter, startTaxAdapter } from './adapter-tax.app';

const EARNER = makeIdentityNumber('500115', '1980-05-01', 11);
const SPOUSE = makeIdentityNumber('500115', '1982-03-04', 22);
const STRANGER = makeIdentityNumber('500115', '1990-01-01', 33);

const income = (idNumber: string, period: string, incomeFen: number) =>
  JSON.stringify({ type: 'income', idNumber, period, item: 'wage', incomeFen, taxFen: 1500, withholder: '重庆某某有限公司' });

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('adapter-tax over its exchange database', () => {
  let db: TestDatabase;
  let adapter: RunningAdapter;
  const messaging: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'hub', groupId: 'hub' };

  beforeAll(async () => {
    resetInProcessBroker();
    db = await createTestDatabase();
    const applied = await migrateTaxAdapter({ databaseUrl: db.url });
    expect(applied).toHaveLength(2);
    expect(await migrateTaxAdapter({ databaseUrl: db.url })).toEqual([]);
    const loaded = await importProviderData(db.url, 'tax', {
      lines: [income(EARNER, '2026-03', 650000), income(EARNER, '2024-01', 500000), income(STRANGER, '2026-03', 900000)],
    });
    expect(loaded).toMatchObject({ ok: true, total: 3 });
    adapter = await startTaxAdapter({ databaseUrl: db.url, messaging, ...testAdapterKeys('tax') });
  });

  afterAll(async () => {
    await adapter?.close();
    await db?.drop();
    resetInProcessBroker();
  });

  it('answers with the income records of the period, about the members asked only', async () => {
    const now = Date.now();
    const auth = (idNumber: string) => ({
      idNumber,
      documentRef: `AUTH-${idNumber.slice(-4)}`,
      signedBy: idNumber,
      signedAt: new Date(now - 3_600_000).toISOString(),
      expiresAt: new Date(now + 86_400_000).toISOString(),
    });
    const request = QueryRequested.fromPartial({
      requestId: 'ver-tax-1:tax',
      verificationId: 'ver-tax-1',
      provider: 'tax',
      members: [
        { idNumber: EARNER, name: '张三' },
        { idNumber: SPOUSE, name: '李四' },
      ],
      incomePeriod: { from: '2025-11', to: '2026-10' },
      assetsAsOf: '2026-11-01',
      authorizations: [auth(EARNER), auth(SPOUSE)],
    });
    inProcessBroker().publish([{ topic: queryRequestedTopic('tax'), key: 'ver-tax-1', value: QueryRequested.encode(withQueryToken(request, new Date())).finish() }]);

    await eventually(() => inProcessBroker().read(Topics.queryAnswered).length === 1, 'the tax answer');
    const answer = QueryAnswered.decode(inProcessBroker().read(Topics.queryAnswered)[0].value);
    expect(answer).toMatchObject({ requestId: 'ver-tax-1:tax', verificationId: 'ver-tax-1', provider: 'tax', notFoundIdNumbers: [SPOUSE] });
    const records = answer.records.map((r) => fromProviderRecord(r, 'tax'));
    expect(records).toEqual([
      expect.objectContaining({ kind: 'income', idNumber: EARNER, period: '2026-03', item: 'wage', incomeFen: 650000, taxFen: 1500 }),
    ]);
    // The answer is published just before the request is marked answered, in the same transaction.
    await eventually(async () => (await adapter.stats()).pending === 0, 'the request marked answered');
    expect(await adapter.stats()).toMatchObject({ provider: 'tax', handled: 1, answered: 1, pending: 0 });
  });
});
