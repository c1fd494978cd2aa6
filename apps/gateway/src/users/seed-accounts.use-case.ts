import { Injectable, Logger } from '@nestjs/common';
import { hashPassword } from '../auth/password-hasher';
import type { Role } from '../database/user.entity';
import { UserRepository } from './user.repository';

/** The demo accounts of the single-process mode (api.md "Authentication"); all in region 500115. */
export const DEMO_ACCOUNTS: ReadonlyArray<{ username: string; role: Role; regionCode: string }> = [
  { username: 'officer', role: 'officer', regionCode: '500115' },
  { username: 'reviewer', role: 'reviewer', regionCode: '500115' },
  { username: 'auditor', role: 'auditor', regionCode: '500115' },
  { username: 'admin', role: 'admin', regionCode: '500115' },
];

export const BOOTSTRAP_ADMIN = { username: 'admin', role: 'admin' as const, regionCode: '500000' };

@Injectable()
export class SeedAccountsUseCase {
  private readonly logger = new Logger(SeedAccountsUseCase.name);

  constructor(private readonly users: UserRepository) {}

  /**
   * Creates the demo accounts, or resets them: this password (hashed afresh with argon2id, so demo accounts
   * never keep a legacy hash), their role and region, active, unlocked (the hub prints the password it uses).
   */
  async seedDemoAccounts(password: string): Promise<void> {
    for (const account of DEMO_ACCOUNTS) {
      await this.users.upsert({ ...account, passwordHash: await hashPassword(password) });
    }
    this.logger.log(`demo accounts ready: ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}`);
  }

  /**
   * Distributed deployments start with no account: given a bootstrap password, the first start creates
   * `admin` (region 500000) once, when no administrator exists yet. Later starts change nothing.
   */
  async bootstrapAdmin(password: string): Promise<boolean> {
    if (await this.users.anyWithRole('admin')) return false;
    const created = await this.users.insert({ ...BOOTSTRAP_ADMIN, passwordHash: await hashPassword(password) });
    if (created) this.logger.log(`bootstrap administrator "${BOOTSTRAP_ADMIN.username}" created`);
    return created !== undefined;
  }
}
