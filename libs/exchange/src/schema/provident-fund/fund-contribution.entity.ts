import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenTransformer, LOADED_AT_COLUMN } from '../columns';

/** 住房公积金 monthly contributions. */
@Entity({ schema: 'exchange_provident_fund', name: 'contributions' })
@Index('contributions_id_number_period_idx', ['idNumber', 'period'])
export class FundContributionEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'contributions_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  /** "YYYY-MM" */
  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ name: 'base_fen', type: 'bigint', transformer: fenTransformer })
  baseFen!: number;

  @Column({ name: 'employee_fen', type: 'bigint', transformer: fenTransformer })
  employeeFen!: number;

  @Column({ name: 'employer_fen', type: 'bigint', transformer: fenTransformer })
  employerFen!: number;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
