import type { Role } from '../database/user.entity';

/** Who is calling: an active account, as its row stands now (AuthGuard), or the system itself for seeding. */
export interface Actor {
  username: string;
  role: Role;
  regionCode: string;
  /** Operators only: the provider whose adapter they run. */
  provider?: string;
}

/** Seeds and bootstrap steps act as this actor (recorded as created_by). */
export const SYSTEM_ACTOR: Actor = { username: 'system', role: 'admin', regionCode: '000000' };
