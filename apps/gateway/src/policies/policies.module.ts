import { Module } from '@nestjs/common';
import { CreatePolicyUseCase } from './create-policy.use-case';
import { ListPoliciesUseCase } from './list-policies.use-case';
import { PoliciesController } from './policies.controller';
import { PolicyRepository } from './policy.repository';
import { SeedDemoPolicyUseCase } from './seed-demo-policy.use-case';

@Module({
  controllers: [PoliciesController],
  providers: [PolicyRepository, CreatePolicyUseCase, ListPoliciesUseCase, SeedDemoPolicyUseCase],
  exports: [PolicyRepository, SeedDemoPolicyUseCase],
})
export class PoliciesModule {}
