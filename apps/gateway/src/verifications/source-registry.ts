import { providerRegistry } from '@verihub/domain';
import type { SourceView } from '../database/verification.entity';

/** The providers a new verification waits for (core departments and every configured bank), all pending. */
export class SourceRegistry {
  private readonly providers;

  constructor(bankCodes: readonly string[]) {
    this.providers = providerRegistry(bankCodes);
  }

  /** Every provider a verification asks ("public-security", "tax", ..., "bank:ICBC"): an authorization's scope must cover each. */
  providerIds(): string[] {
    return this.providers.map((p) => p.id);
  }

  initialSources(): SourceView[] {
    return this.providers.map((p) => ({ department: p.department, provider: p.id, status: 'pending', records: 0, respondedAt: null }));
  }
}
