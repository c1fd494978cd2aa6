import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { noCounts, toHealth, type ProviderHealth } from './provider-health';
import { ProviderHealthRepository } from './provider-health.repository';

/** A department operator's view: its own provider's health and counts, nothing of any other provider, no data. */
@Injectable()
export class GetAdapterHealthUseCase {
  constructor(private readonly health: ProviderHealthRepository) {}

  async execute(actor: Actor, now: Date = new Date()): Promise<ProviderHealth> {
    if (actor.role !== 'operator' || !actor.provider) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, 'Only a department operator with a provider has an adapter.');
    }
    const [counts] = await this.health.counts(now, actor.provider);
    return toHealth(counts ?? noCounts(actor.provider));
  }
}
