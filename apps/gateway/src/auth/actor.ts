import type { Role } from '../database/user.entity';

/** Who is calling: taken from a verified token, or the system itself for seeding. */
export interface Actor {
  username: string;
  role: Role;
  regionCode: string;
}

/** Seeds and bootstrap steps act as this actor (recorded as created_by). */
export const SYSTEM_ACTOR: Actor = { username: 'system', role: 'admin', regionCode: '000000' };
