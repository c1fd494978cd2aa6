import { Injectable, Logger } from '@nestjs/common';
import type { AuditActorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { UserEntity } from '../database/user.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { UserRepository } from '../users/user.repository';
import type { Actor } from './actor';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hasher';
import { UnknownUsernameAttempts, type SignInLockoutOptions } from './sign-in-lockout';
import type { TokenRequestDto, TokenResponseDto } from './token.dto';
import { TokenService } from './token.service';

/**
 * Username and password for a bearer token. A wrong password, an unknown username and a deactivated
 * account look the same (401, same wording, a password hash checked either way), and so does a lock:
 * after `maxFailures` consecutive failures the username is refused for `lockSeconds` (429 with
 * Retry-After), whether or not an account has it. A success resets the count, and replaces a legacy
 * (scrypt) or outdated hash with a fresh argon2id one.
 * Logged: the username of an existing account and the outcome; never a password, a hash, or a username
 * that has no account (it could be a password typed in the wrong field).
 */
/** Built by AuthModule with the lockout options. */
@Injectable()
export class IssueTokenUseCase {
  private readonly logger = new Logger(IssueTokenUseCase.name);
  private readonly unknownUsernames: UnknownUsernameAttempts;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly lockout: SignInLockoutOptions,
    private readonly audit: AuditTrail,
  ) {
    this.unknownUsernames = new UnknownUsernameAttempts(lockout);
  }

  async execute(input: TokenRequestDto, now: Date = new Date()): Promise<TokenResponseDto> {
    const found = await this.users.findByUsername(input.username);
    const account = found?.active ? found : undefined;

    const lockedUntil = account ? activeLock(account, now) : this.unknownUsernames.lockedUntil(input.username, now);
    if (lockedUntil) {
      if (account) this.logger.warn(`sign-in refused for "${account.username}": locked until ${lockedUntil.toISOString()}`);
      await this.audit.recordBestEffort({ action: 'login_failed', actor: signInActor(found), dataCategories: ['locked'], status: 'refused', occurredAt: now });
      throw locked(lockedUntil, now);
    }

    const ok = account ? await verifyPassword(input.password, account.passwordHash) : await verifyAgainstDummy(input.password);
    if (!account || !ok) {
      if (account) {
        const lock = await this.users.recordFailedSignIn(account.id, this.lockout.maxFailures, new Date(now.getTime() + this.lockout.lockSeconds * 1000));
        this.logger.warn(`sign-in failed for "${account.username}"${lock ? `: locked until ${lock.toISOString()}` : ''}`);
      } else {
        this.unknownUsernames.recordFailure(input.username, now);
        this.logger.warn(found ? `sign-in refused for deactivated account "${found.username}"` : 'sign-in failed for a username without an account');
      }
      await this.audit.recordBestEffort({
        action: 'login_failed',
        actor: signInActor(found),
        dataCategories: [found && !found.active ? 'deactivated' : 'credentials'],
        status: 'failed',
        occurredAt: now,
      });
      throw new GatewayException(GatewayExceptionCode.INVALID_CREDENTIALS, 'Wrong username or password.');
    }

    if (account.failedLogins > 0 || account.lockedUntil !== null) await this.users.recordSuccessfulSignIn(account.id);
    if (needsRehash(account.passwordHash)) {
      const upgraded = await this.users.replacePasswordHash(account.id, account.passwordHash, await hashPassword(input.password));
      if (upgraded) this.logger.log(`password hash of "${account.username}" upgraded to argon2id`);
    }
    const actor: Actor = {
      username: account.username,
      role: account.role,
      regionCode: account.regionCode,
      ...(account.provider ? { provider: account.provider } : {}),
    };
    // Recorded before the token is handed out; without the record there is no token (503).
    await this.audit.recordRead({ action: 'login_succeeded', actor: signInActor(account), status: 'succeeded', occurredAt: now });
    const token = await this.tokens.issue(actor, account.tokenVersion);
    return { ...token, user: { username: actor.username, role: actor.role, regionCode: actor.regionCode, ...(actor.provider ? { provider: actor.provider } : {}) } };
  }
}

/**
 * Who tried to sign in, for the audit log: the account when one has the username (active or not); otherwise
 * "(unknown)" — the typed text is never recorded (it may be a password typed in the wrong field).
 */
export const UNKNOWN_SIGN_IN_ACTOR: AuditActorRef = { username: '(unknown)', role: 'none' };

function signInActor(account: UserEntity | null | undefined): AuditActorRef {
  return account ? { username: account.username, role: account.role, regionCode: account.regionCode } : UNKNOWN_SIGN_IN_ACTOR;
}

function activeLock(account: UserEntity, now: Date): Date | undefined {
  return account.lockedUntil && account.lockedUntil.getTime() > now.getTime() ? account.lockedUntil : undefined;
}

function locked(until: Date, now: Date): GatewayException {
  const seconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  const minutes = Math.ceil(seconds / 60);
  return new GatewayException(
    GatewayExceptionCode.SIGN_IN_LOCKED,
    `Too many failed sign-ins with this username; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    [],
    seconds,
  );
}
