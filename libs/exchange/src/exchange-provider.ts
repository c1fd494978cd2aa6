/**
 * The provider ids the reference exchange databases (前置库) serve and where each one's data lives:
 * one PostgreSQL schema per department; the banks share `exchange_bank`, every row tagged with its
 * `bank_code` and every query filtered by it.
 */
import { Department, isKnownProviderId } from '@verihub/domain';

export type ExchangeDepartment = Department;

export const EXCHANGE_DEPARTMENTS: readonly ExchangeDepartment[] = ['public-security', 'tax', 'housing', 'provident-fund', 'bank'];

export const EXCHANGE_SCHEMAS: Readonly<Record<ExchangeDepartment, string>> = {
  'public-security': 'exchange_public_security',
  tax: 'exchange_tax',
  housing: 'exchange_housing',
  'provident-fund': 'exchange_provident_fund',
  bank: 'exchange_bank',
};

export function exchangeSchemaOf(department: ExchangeDepartment): string {
  return EXCHANGE_SCHEMAS[department];
}

/** A provider id taken apart: "bank:ICBC" -> bank + ICBC; "tax" -> tax. */
export interface ExchangeProvider {
  /** "public-security", "tax", "housing", "provident-fund" or "bank:<CODE>". */
  id: string;
  department: ExchangeDepartment;
  /** Only for banks: "ICBC". */
  bankCode?: string;
}

export class UnknownProviderError extends Error {
  constructor(readonly provider: string) {
    super(`unknown provider "${provider}" (expected public-security, tax, housing, provident-fund or bank:<CODE>)`);
    this.name = 'UnknownProviderError';
  }
}

/** Parses a provider id; bank codes are 2-16 upper-case letters or digits ("bank:icbc" is accepted as bank:ICBC). */
export function parseExchangeProvider(provider: string): ExchangeProvider {
  const normalized = /^bank:/i.test(provider) ? `bank:${provider.slice(5).toUpperCase()}` : provider;
  if (!isKnownProviderId(normalized)) throw new UnknownProviderError(provider);
  if (normalized.startsWith('bank:')) return { id: normalized, department: 'bank', bankCode: normalized.slice(5) };
  return { id: normalized, department: normalized as ExchangeDepartment };
}
