/**
 * The port a partner department implements to answer verification queries: given the people asked
 * about and the periods, return what its exchange database holds on them. The adapter SDK does
 * everything else (transport, decoding, authorization checks, answering, masking).
 */
import type { DepartmentRecord } from './records';

export interface ProviderQuery {
  /** Provider answering: "tax", "bank:ICBC", ... */
  provider: string;
  idNumbers: string[];
  /** Income months, "YYYY-MM", both ends inclusive. */
  incomePeriod: { from: string; to: string };
  /** "YYYY-MM-DD": holdings and balances as of this date. */
  assetsAsOf: string;
}

export interface ProviderDataSource {
  /** Records about the given people, each tagged with provider and recordId. */
  lookup(query: ProviderQuery): Promise<DepartmentRecord[]>;
}
