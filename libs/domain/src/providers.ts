/**
 * Providers are partner-department adapters. The registry is data: a new provider joins by being
 * listed (and answering on its topic), not by changing the aggregator.
 */
export type Department = 'public-security' | 'tax' | 'housing' | 'provident-fund' | 'bank';

export interface ProviderDescriptor {
  /** "tax", "bank:ICBC", ... */
  id: string;
  department: Department;
  /** Data categories the provider answers for, recorded in the audit log. */
  categories: readonly string[];
}

export const CORE_PROVIDERS: readonly ProviderDescriptor[] = [
  { id: 'public-security', department: 'public-security', categories: ['identity', 'hukou', 'vital_status', 'vehicles'] },
  { id: 'tax', department: 'tax', categories: ['income'] },
  { id: 'housing', department: 'housing', categories: ['real_estate'] },
  { id: 'provident-fund', department: 'provident-fund', categories: ['provident_fund'] },
];

export const DEFAULT_BANKS = ['ICBC', 'CCB', 'BOC', 'ABC'] as const;

export function bankProviderId(code: string): string {
  return `bank:${code.toUpperCase()}`;
}

export function isBankProvider(providerId: string): boolean {
  return providerId.startsWith('bank:');
}

/** `VERIHUB_BANKS` is a comma-separated list of bank codes ("ICBC,CCB"). */
export function parseBankCodes(value: string | undefined): string[] {
  const raw = value === undefined || value.trim() === '' ? [...DEFAULT_BANKS] : value.split(',');
  const codes = raw.map((c) => c.trim().toUpperCase()).filter((c) => c.length > 0);
  for (const code of codes) {
    if (!/^[A-Z0-9]{2,16}$/.test(code)) throw new Error(`VERIHUB_BANKS: "${code}" is not a bank code (2-16 letters or digits)`);
  }
  return [...new Set(codes)];
}

export function providerRegistry(bankCodes: readonly string[]): ProviderDescriptor[] {
  return [
    ...CORE_PROVIDERS,
    ...bankCodes.map((code) => ({ id: bankProviderId(code), department: 'bank' as const, categories: ['deposits', 'wealth', 'securities'] })),
  ];
}

/** "bank:ICBC" -> bank, "tax" -> tax; unknown ids are refused. */
export function departmentOf(providerId: string): Department {
  if (isBankProvider(providerId)) return 'bank';
  const core = CORE_PROVIDERS.find((p) => p.id === providerId);
  if (!core) throw new Error(`unknown provider "${providerId}"`);
  return core.department;
}

export function isKnownProviderId(providerId: string): boolean {
  return /^bank:[A-Z0-9]{2,16}$/.test(providerId) || CORE_PROVIDERS.some((p) => p.id === providerId);
}
