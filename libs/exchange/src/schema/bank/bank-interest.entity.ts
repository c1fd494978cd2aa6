import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenTransformer, LOADED_AT_COLUMN } from '../columns';

/** 银行 interest paid, by account and month. */
@Entity({ schema: 'exchange_bank', name: 'interest_records' })
@Index('interest_records_bank_id_number_period_idx', ['bankCode', 'idNumber', 'period'])
export class BankInterestEntity {
  @PrimaryColumn({ name: 'bank_code', type: 'text', primaryKeyConstraintName: 'interest_records_pkey' })
  bankCode!: string;

  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'interest_records_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  @Column({ name: 'account_no', type: 'text' })
  accountNo!: string;

  /** "YYYY-MM" */
  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ name: 'interest_fen', type: 'bigint', transformer: fenTransformer })
  interestFen!: number;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
