import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { StoredPolicyRules } from '../policies/policy-rules';

/** One version of a programme policy (domain.md section 6). Never updated: a change is a new version. */
@Entity({ name: 'policies' })
@Unique('policies_region_program_version_key', ['regionCode', 'program', 'version'])
@Index('policies_applicable_idx', ['regionCode', 'program', 'effectiveFrom'])
export class PolicyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'policies_pkey' })
  id!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  program!: string;

  /** "YYYY-MM-DD" */
  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;

  /** The full policy object as accepted (defaults filled in). */
  @Column({ type: 'jsonb' })
  rules!: StoredPolicyRules;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;
}
