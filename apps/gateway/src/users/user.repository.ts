import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { Role, UserEntity } from '../database/user.entity';

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  regionCode: string;
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

  /** Inserts the user; returns undefined when the username is taken. */
  async insert(user: NewUser): Promise<UserEntity | undefined> {
    const rows: UserEntity[] = await this.dataSource.query(
      `INSERT INTO gateway.users (id, username, password_hash, role, region_code)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING
       RETURNING id, username, password_hash AS "passwordHash", role, region_code AS "regionCode", created_at AS "createdAt"`,
      [randomUUID(), user.username, user.passwordHash, user.role, user.regionCode],
    );
    return rows[0];
  }

  /** Creates the user or resets its password, role and region (demo accounts follow the configured password). */
  async upsert(user: NewUser): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO gateway.users (id, username, password_hash, role, region_code)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
         region_code = EXCLUDED.region_code`,
      [randomUUID(), user.username, user.passwordHash, user.role, user.regionCode],
    );
  }

  async anyWithRole(role: Role): Promise<boolean> {
    return (await this.users.countBy({ role })) > 0;
  }
}
