import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../auth/actor';
import { CreatePolicyUseCase } from './create-policy.use-case';
import { DEMO_POLICY } from './demo-policy';
import { PolicyRepository } from './policy.repository';

/** Seeds the demo policy once: when region 500115 has no dibao policy yet. Returns whether it created one. */
@Injectable()
export class SeedDemoPolicyUseCase {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly createPolicy: CreatePolicyUseCase,
  ) {}

  async execute(): Promise<boolean> {
    if (await this.policies.exists(DEMO_POLICY.regionCode, DEMO_POLICY.program)) return false;
    await this.createPolicy.execute(SYSTEM_ACTOR, DEMO_POLICY);
    return true;
  }
}
