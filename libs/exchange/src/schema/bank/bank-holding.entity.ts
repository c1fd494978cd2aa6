import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenTransformer, LOADED_AT_COLUMN } from '../columns';

/** 银行 holdings (deposits, wealth products, funds, securities at market value): one row per snapshot. */
@Entity({ schema: 'exchange_bank', name: 'holdings' })
@Index('holdings_bank_id_number_as_of_idx', ['bankCode', 'idNumber', 'asOf'])
export class BankHoldingEntity {
  @PrimaryColumn({ name: 'bank_code', type: 'text', primaryKeyConstraintName: 'holdings_pkey' })
  bankCode!: string;

  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'holdings_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  @Column({ name: 'account_no', type: 'text' })
  accountNo!: string;

  @Column({ type: 'text' })
  product!: string;

  @Column({ name: 'balance_fen', type: 'bigint', transformer: fenTransformer })
  balanceFen!: number;

  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
