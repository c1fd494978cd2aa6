import { Injectable } from '@nestjs/common';
import { providerRegistry } from '@verihub/domain';
import { noCounts, toHealth, type ProviderHealth } from './provider-health';
import { ProviderHealthRepository } from './provider-health.repository';

/** The administrator's view: every configured provider (and any other the read model has seen), by id. */
@Injectable()
export class ListProviderHealthUseCase {
  constructor(
    private readonly health: ProviderHealthRepository,
    private readonly bankCodes: readonly string[],
  ) {}

  async execute(now: Date = new Date()): Promise<{ items: ProviderHealth[] }> {
    const seen = new Map((await this.health.counts(now)).map((c) => [c.provider, c]));
    const ids = [...new Set([...providerRegistry(this.bankCodes).map((p) => p.id), ...seen.keys()])];
    return { items: ids.map((id) => toHealth(seen.get(id) ?? noCounts(id))) };
  }
}
