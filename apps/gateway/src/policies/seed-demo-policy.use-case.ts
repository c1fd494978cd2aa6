import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../auth/actor';
import { CreatePolicyUseCase } from './create-policy.use-case';
import { DEMO_POLICIES } from './demo-policy';
import { PolicyRepository } from './policy.repository';

/**
 * Seeds the demo policies (500115 dibao and housing), each once: only while its region and programme
 * have no policy yet. Returns whether it created any.
 */
@Injectable()
export class SeedDemoPolicyUseCase {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly createPolicy: CreatePolicyUseCase,
  ) {}

  async execute(): Promise<boolean> {
    let created = false;
    for (const policy of DEMO_POLICIES) {
      if (await this.policies.exists(policy.regionCode, policy.program)) continue;
      await this.createPolicy.execute(SYSTEM_ACTOR, policy);
      created = true;
    }
    return created;
  }
}
