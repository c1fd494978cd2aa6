import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PolicyEntity } from '../database/policy.entity';
import type { StoredPolicyRules } from './policy-rules';

/** The only place that reads or writes gateway.policies. Rows are inserted, never updated. */
@Injectable()
export class PolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the rules as the next version of their (region, programme): previous highest + 1. Serialized
   * per (region, programme) by a transaction-scoped advisory lock, so concurrent creations do not collide.
   */
  async insertNextVersion(
    rules: StoredPolicyRules,
    createdBy: string,
    within?: (manager: EntityManager, stored: PolicyEntity) => Promise<void>,
  ): Promise<PolicyEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`verihub.policy.${rules.regionCode}.${rules.program}`]);
      const [{ max }] = await manager.query<Array<{ max: number | null }>>(
        'SELECT max(version) AS max FROM gateway.policies WHERE region_code = $1 AND program = $2',
        [rules.regionCode, rules.program],
      );
      const entity = manager.create(PolicyEntity, {
        id: randomUUID(),
        version: (max ?? 0) + 1,
        regionCode: rules.regionCode,
        program: rules.program,
        effectiveFrom: rules.effectiveFrom,
        rules,
        createdBy,
      });
      await manager.insert(PolicyEntity, entity);
      const stored = await manager.findOneByOrFail(PolicyEntity, { id: entity.id });
      if (within) await within(manager, stored);
      return stored;
    });
  }

  list(filter: { regionCode?: string; program?: string }): Promise<PolicyEntity[]> {
    const query = this.dataSource.getRepository(PolicyEntity).createQueryBuilder('p');
    if (filter.regionCode) query.andWhere('p.region_code = :regionCode', { regionCode: filter.regionCode });
    if (filter.program) query.andWhere('p.program = :program', { program: filter.program });
    return query.orderBy('p.region_code', 'ASC').addOrderBy('p.program', 'ASC').addOrderBy('p.version', 'DESC').getMany();
  }

  /** The newest policy in force on `asOf`: highest effectiveFrom ≤ asOf, then highest version. */
  /** Pass the caller's transaction's manager: a second pool connection per open transaction can exhaust the pool. */
  findApplicable(regionCode: string, program: string, asOf: string, manager: EntityManager = this.dataSource.manager): Promise<PolicyEntity | null> {
    return manager
      .getRepository(PolicyEntity)
      .createQueryBuilder('p')
      .where('p.region_code = :regionCode AND p.program = :program AND p.effective_from <= :asOf', { regionCode, program, asOf })
      .orderBy('p.effective_from', 'DESC')
      .addOrderBy('p.version', 'DESC')
      .limit(1)
      .getOne();
  }

  async exists(regionCode: string, program: string): Promise<boolean> {
    return (await this.dataSource.getRepository(PolicyEntity).countBy({ regionCode, program })) > 0;
  }
}
