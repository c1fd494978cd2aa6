import { providerRegistry } from '@verihub/domain';
import type { SourceView } from '../database/verification.entity';

/** The providers a new verification waits for (core departments and every configured bank), all pending. */
export class SourceRegistry {
  private readonly providers;

  constructor(bankCodes: readonly string[]) {
    this.providers = providerRegistry(bankCodes);
  }

  initialSources(): SourceView[] {
    return this.providers.map((p) => ({ department: p.department, provider: p.id, status: 'pending', records: 0, respondedAt: null }));
  }
}
