import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';

export const ROLES = ['officer', 'reviewer', 'auditor', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A person who signs in to the gateway. The password is stored only as a salted hash (argon2id; accounts
 * from before issue 4 may still hold scrypt until their next sign-in). Migrations 1795000000000 and 1795200000000.
 */
@Entity({ name: 'users' })
@Unique('users_username_key', ['username'])
@Check('users_role_check', `"role" IN ('officer', 'reviewer', 'auditor', 'admin', 'operator')`)
@Check('users_provider_check', `"provider" IS NULL OR "provider" ~ '^(public-security|tax|housing|provident-fund|bank:[A-Z0-9]{2,16})$'`)
@Check(
  'users_operator_provider_check',
  `("role" = 'operator' AND ("provider" IS NOT NULL OR NOT "active")) OR ("role" <> 'operator' AND "provider" IS NULL)`,
)
@Check('users_counters_check', `"token_version" >= 0 AND "failed_logins" >= 0`)
export class UserEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'users_pkey' })
  id!: string;

  @Column({ type: 'text' })
  username!: string;

  /** `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` (PHC string), or legacy `scrypt$N$r$p$<salt>$<hash>`. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  /** Operators only: the provider whose adapter they run ("tax", "bank:ICBC", …). */
  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** In every token; bumped by any change that must end the sessions already open. */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  /** Consecutive failed sign-ins since the last success or lock. */
  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
