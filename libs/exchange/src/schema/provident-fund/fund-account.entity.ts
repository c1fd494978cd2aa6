import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenTransformer, LOADED_AT_COLUMN } from '../columns';

/** 住房公积金 account snapshots: one row per account and `as_of` date. */
@Entity({ schema: 'exchange_provident_fund', name: 'accounts' })
@Index('accounts_id_number_as_of_idx', ['idNumber', 'asOf'])
export class FundAccountEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'accounts_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  @Column({ name: 'account_no', type: 'text' })
  accountNo!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text' })
  employer!: string;

  @Column({ name: 'balance_fen', type: 'bigint', transformer: fenTransformer })
  balanceFen!: number;

  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
