import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Role, UserEntity } from '../database/user.entity';

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  regionCode: string;
  provider?: string | null;
}

/** The account as it will be after a change (UpdateUserUseCase decides it). */
export interface AccountState {
  role: Role;
  regionCode: string;
  provider: string | null;
  active: boolean;
  /** A new hash replaces the password; undefined keeps it. */
  passwordHash?: string;
  /** Ends the tokens already issued (token_version + 1). */
  revokeTokens: boolean;
  /** Clears failed sign-ins and any lock. */
  unlock: boolean;
}

const COLUMNS = `id, username, password_hash AS "passwordHash", role, region_code AS "regionCode", provider, active,
  token_version AS "tokenVersion", failed_logins AS "failedLogins", locked_until AS "lockedUntil",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** TypeORM answers an UPDATE … RETURNING with `[rows, affected]` (an INSERT with the rows): the rows. */
async function updateReturning<T>(runner: DataSource | EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await runner.query(sql, params);
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** The only place that reads or writes gateway.users. */
@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  list(): Promise<UserEntity[]> {
    return this.users.find({ order: { username: 'ASC' } });
  }

  /**
   * Inserts the user; returns undefined when the username is taken. `within` runs in the same transaction
   * once the row exists (the audit record of the creation).
   */
  async insert(user: NewUser, within?: (manager: EntityManager, created: UserEntity) => Promise<void>): Promise<UserEntity | undefined> {
    if (within) {
      return this.dataSource.transaction(async (manager) => {
        const created = await this.insertWith(manager, user);
        if (created) await within(manager, created);
        return created;
      });
    }
    return this.insertWith(this.dataSource.manager, user);
  }

  private async insertWith(manager: EntityManager, user: NewUser): Promise<UserEntity | undefined> {
    const rows: UserEntity[] = await manager.query(
      `INSERT INTO gateway.users (id, username, password_hash, role, region_code, provider)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING
       RETURNING ${COLUMNS}`,
      [randomUUID(), user.username, user.passwordHash, user.role, user.regionCode, user.provider ?? null],
    );
    return rows[0];
  }

  /**
   * Creates the user, or resets it: password, role, region, provider, active, no failed sign-ins (demo
   * accounts follow the configured password). Tokens issued before end when role, region, provider or
   * activity changed.
   */
  async upsert(user: NewUser): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO gateway.users AS u (id, username, password_hash, role, region_code, provider)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
         region_code = EXCLUDED.region_code, provider = EXCLUDED.provider, active = true,
         failed_logins = 0, locked_until = NULL, updated_at = now(),
         token_version = u.token_version + CASE WHEN (u.role, u.region_code, u.provider, u.active)
           IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.region_code, EXCLUDED.provider, true) THEN 1 ELSE 0 END`,
      [randomUUID(), user.username, user.passwordHash, user.role, user.regionCode, user.provider ?? null],
    );
  }

  async anyWithRole(role: Role): Promise<boolean> {
    return (await this.users.countBy({ role })) > 0;
  }

  /**
   * One more consecutive failure; at `maxFailures` the account is locked until `lockUntil` and the count
   * starts again. Atomic (concurrent failures each count). Returns the lock when this failure set one.
   */
  async recordFailedSignIn(id: string, maxFailures: number, lockUntil: Date): Promise<Date | undefined> {
    const rows = await updateReturning<{ lockedUntil: Date | null; locked: boolean }>(
      this.dataSource,
      `UPDATE gateway.users SET
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END,
         failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
       WHERE id = $1
       RETURNING locked_until AS "lockedUntil", locked_until = $3::timestamptz AS locked`,
      [id, maxFailures, lockUntil],
    );
    return rows[0]?.locked ? (rows[0].lockedUntil ?? undefined) : undefined;
  }

  async recordSuccessfulSignIn(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE gateway.users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [id]);
  }

  /** Replaces the hash only if it is still `previous` (a concurrent password change wins). */
  async replacePasswordHash(id: string, previous: string, next: string): Promise<boolean> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE gateway.users SET password_hash = $3 WHERE id = $1 AND password_hash = $2 RETURNING id`,
      [id, previous, next],
    );
    return rows.length > 0;
  }

  /**
   * Changes an account in one transaction, serialized with every other change of an administrator:
   * the active administrators' rows are locked first, so `decide` sees a count no concurrent change
   * can falsify (the last active administrator cannot be deactivated or demoted twice over).
   * `decide` may throw to refuse. Returns undefined when there is no such account.
   */
  async change(
    username: string,
    decide: (current: UserEntity, activeAdmins: number) => AccountState,
    within?: (manager: EntityManager, changed: UserEntity) => Promise<void>,
  ): Promise<UserEntity | undefined> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const admins: unknown[] = await manager.query(
        `SELECT id FROM gateway.users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
      );
      const current: UserEntity[] = await manager.query(`SELECT ${COLUMNS} FROM gateway.users WHERE username = $1 FOR UPDATE`, [username]);
      if (current.length === 0) return undefined;
      const next = decide(current[0], admins.length);
      const rows = await updateReturning<UserEntity>(
        manager,
        `UPDATE gateway.users SET role = $2, region_code = $3, provider = $4, active = $5,
           password_hash = COALESCE($6, password_hash),
           token_version = token_version + CASE WHEN $7 THEN 1 ELSE 0 END,
           failed_logins = CASE WHEN $8 THEN 0 ELSE failed_logins END,
           locked_until = CASE WHEN $8 THEN NULL ELSE locked_until END,
           updated_at = now()
         WHERE username = $1
         RETURNING ${COLUMNS}`,
        [username, next.role, next.regionCode, next.provider, next.active, next.passwordHash ?? null, next.revokeTokens, next.unlock],
      );
      if (within && rows[0]) await within(manager, rows[0]);
      return rows[0];
    });
  }
}
