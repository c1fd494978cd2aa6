import { Injectable } from '@nestjs/common';
import type { ListPoliciesQuery, PolicyListView } from './policy.dto';
import { toPolicyView } from './policy.mapper';
import { PolicyRepository } from './policy.repository';

@Injectable()
export class ListPoliciesUseCase {
  constructor(private readonly policies: PolicyRepository) {}

  async execute(query: ListPoliciesQuery): Promise<PolicyListView> {
    const rows = await this.policies.list({ regionCode: query.regionCode, program: query.program });
    return { items: rows.map(toPolicyView) };
  }
}
