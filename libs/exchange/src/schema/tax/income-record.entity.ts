import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenTransformer, LOADED_AT_COLUMN } from '../columns';

/** 税务 income by person, month and item. */
@Entity({ schema: 'exchange_tax', name: 'income_records' })
@Index('income_records_id_number_period_idx', ['idNumber', 'period'])
export class IncomeRecordEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'income_records_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  /** "YYYY-MM" */
  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ type: 'text' })
  item!: string;

  @Column({ name: 'income_fen', type: 'bigint', transformer: fenTransformer })
  incomeFen!: number;

  @Column({ name: 'tax_fen', type: 'bigint', transformer: fenTransformer })
  taxFen!: number;

  @Column({ type: 'text' })
  withholder!: string;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
