/**
 * What the use-case specs share: tax requests with the aggregator's token, an in-memory tax source that
 * counts its lookups and can fail, and a publisher that records what it was asked to publish.
 */
import { QueryRequested } from '@verihub/contracts';
import { type DepartmentRecord, makeIdentityNumber, type ProviderDataSource, type ProviderQuery } from '@verihub/domain';
import { MessagePublisher, type OutgoingMessage } from '@verihub/messaging';
import { queryTokenFor } from './query-tokens';

export const NOW = new Date('2026-11-01T10:00:00+08:00');
/** Has one income record. */
export const ALICE = makeIdentityNumber('500115', '1980-05-01', 11);
/** Has none. */
export const BOB = makeIdentityNumber('500115', '1982-07-09', 22);

export class RecordingPublisher extends MessagePublisher {
  readonly sent: OutgoingMessage[] = [];
  /** One entry per publish call. */
  readonly calls: OutgoingMessage[][] = [];
  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.calls.push(messages);
    this.sent.push(...messages);
  }
}

export class FakeTaxSource implements ProviderDataSource {
  readonly queries: ProviderQuery[] = [];
  failuresLeft = 0;
  delayMs = 0;
  async lookup(query: ProviderQuery): Promise<DepartmentRecord[]> {
    this.queries.push(query);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error(`connection refused while reading ${query.idNumbers[0]}`);
    }
    return query.idNumbers
      .filter((id) => id === ALICE)
      .map((idNumber) => ({
        kind: 'income' as const,
        provider: 'tax',
        recordId: `tax-${idNumber.slice(-4)}-2026-03`,
        idNumber,
        period: '2026-03',
        item: 'wage' as const,
        incomeFen: 650000,
        taxFen: 1500,
        withholder: '重庆某某有限公司',
      }));
  }
}

/** A request with the aggregator's token for it (unless the overrides carry another queryToken). */
export function request(requestId: string, overrides: Partial<QueryRequested> = {}): QueryRequested {
  const unsigned = unsignedRequest(requestId, overrides);
  return 'queryToken' in overrides ? unsigned : { ...unsigned, queryToken: queryTokenFor(unsigned, NOW) };
}

export function unsignedRequest(requestId: string, overrides: Partial<QueryRequested> = {}): QueryRequested {
  const auth = (idNumber: string) => ({
    idNumber,
    documentRef: `AUTH-${idNumber.slice(-4)}`,
    signedBy: idNumber,
    signedAt: '2026-10-30T09:00:00+08:00',
    expiresAt: '2027-10-30T09:00:00+08:00',
  });
  return QueryRequested.fromPartial({
    requestId,
    verificationId: `ver-${requestId}`,
    provider: 'tax',
    interactive: true,
    members: [
      { idNumber: ALICE, name: '张三' },
      { idNumber: BOB, name: '李四' },
    ],
    incomePeriod: { from: '2025-11', to: '2026-10' },
    assetsAsOf: '2026-11-01',
    authorizations: [auth(ALICE), auth(BOB)],
    ...overrides,
  });
}
