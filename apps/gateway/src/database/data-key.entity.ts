import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SealedValue } from '@verihub/persistence';

/** A data key that has sealed the gateway's personal data, with a known value sealed under it (checked at every start). */
@Entity({ name: 'data_keys' })
export class GatewayDataKeyEntity {
  /** dataKeyIdOf(key): a fingerprint, not the key. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'data_keys_pkey' })
  kid!: string;

  @Column({ name: 'check_value', type: 'jsonb' })
  checkValue!: SealedValue;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
