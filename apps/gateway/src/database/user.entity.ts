import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';

export const ROLES = ['officer', 'reviewer', 'auditor', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in to the gateway. The password is stored only as a salted scrypt hash. */
@Entity({ name: 'users' })
@Unique('users_username_key', ['username'])
@Check('users_role_check', `"role" IN ('officer', 'reviewer', 'auditor', 'admin', 'operator')`)
export class UserEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'users_pkey' })
  id!: string;

  @Column({ type: 'text' })
  username!: string;

  /** `scrypt$N$r$p$<salt base64>$<hash base64>` */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
