import type { UserEntity } from '../database/user.entity';
import type { UserView } from './user.dto';

/** Never the hash, the token version or the failure count. `lockedUntil` only while a lock is in force. */
export function toUserView(user: UserEntity, now: Date = new Date()): UserView {
  const locked = user.lockedUntil && new Date(user.lockedUntil).getTime() > now.getTime() ? new Date(user.lockedUntil).toISOString() : null;
  return {
    username: user.username,
    role: user.role,
    regionCode: user.regionCode,
    ...(user.provider ? { provider: user.provider } : {}),
    active: user.active,
    lockedUntil: locked,
    createdAt: new Date(user.createdAt).toISOString(),
    updatedAt: new Date(user.updatedAt).toISOString(),
  };
}
