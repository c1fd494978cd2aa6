import { Injectable, Logger } from '@nestjs/common';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { applyAccountPatch } from './account-rules';
import type { UpdateUserDto, UserView } from './user.dto';
import { toUserView } from './user.mapper';
import { UserRepository } from './user.repository';

/**
 * An administrator changes an account's role, region, provider or activity, resets its password, or lifts
 * a sign-in lock. Any change but a bare unlock ends the account's open tokens (token_version + 1): the
 * change holds from its next token. The last active administrator stays one (409).
 */
@Injectable()
export class UpdateUserUseCase {
  private readonly logger = new Logger(UpdateUserUseCase.name);

  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, username: string, patch: UpdateUserDto): Promise<UserView> {
    // Hashed before the transaction: the admin rows stay locked for milliseconds, not a hash's time.
    const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
    const what = (['role', 'regionCode', 'provider', 'active', 'password', 'unlock'] as const).filter((f) => patch[f] !== undefined);
    const updated = await this.users.change(username, (current, activeAdmins) => {
      const outcome = applyAccountPatch(current, patch, activeAdmins);
      if (outcome.kind === 'invalid') throw GatewayException.invalidInput(outcome.errors);
      if (outcome.kind === 'last-admin') {
        throw new GatewayException(
          GatewayExceptionCode.LAST_ACTIVE_ADMIN,
          `"${username}" is the last active administrator; make another administrator first.`,
          outcome.errors,
        );
      }
      return { ...outcome.next, passwordHash, revokeTokens: outcome.revokeTokens, unlock: outcome.unlock };
    }, async (manager, row) => {
      // Which account and which fields changed (user:<username>, field:<name>), with the resulting role and region.
      await this.audit.enqueue(manager, {
        action: 'user_updated',
        actor: actorRef(actor),
        dataCategories: [`user:${row.username}`, ...what.map((f) => `field:${f}`), `role:${row.role}`, `region:${row.regionCode}`, `active:${row.active}`],
        status: 'succeeded',
      });
    });
    this.audit.nudge();
    if (!updated) throw new GatewayException(GatewayExceptionCode.USER_NOT_FOUND, `No user "${username}".`);
    this.logger.log(`user ${updated.username} changed by ${actor.username}: ${what.join(', ')}`);
    return toUserView(updated);
  }
}
