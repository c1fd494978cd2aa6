import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../database/user.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { UserRepository } from '../users/user.repository';
import type { Actor } from './actor';
import { ALLOWED_ROLES, AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { TokenService } from './token.service';

/**
 * Every HTTP route needs a bearer token unless marked @Public(), and names the roles that may call it
 * with @Roles(...) (a route that names none is closed).
 * A token counts only while its account is active and its token version is the account's current one
 * (a password, role, region, provider or activity change bumps it), so the caller is who the account is
 * now: one lookup by the unique username per request.
 * Message handlers (the RPC side of the hybrid app) are not HTTP and pass through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new GatewayException(GatewayExceptionCode.AUTHENTICATION_REQUIRED, 'Send "Authorization: Bearer <token>" (POST /api/v1/auth/token).');
    }
    const actor = await this.authenticate(match[1]);
    if (!actor) {
      throw new GatewayException(GatewayExceptionCode.AUTHENTICATION_REQUIRED, 'The token is invalid, expired or revoked; request a new one.');
    }
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    // Deny by default: a route that names no roles is open to none.
    if (!roles || !roles.includes(actor.role)) {
      throw new GatewayException(
        GatewayExceptionCode.ROLE_NOT_ALLOWED,
        `The role "${actor.role}" may not do this${roles ? ` (allowed: ${roles.join(', ')})` : ''}.`,
      );
    }
    return true;
  }

  private async authenticate(token: string): Promise<Actor | undefined> {
    const subject = await this.tokens.verify(token);
    if (!subject) return undefined;
    const user = await this.users.findByUsername(subject.username);
    if (!user || !user.active || user.tokenVersion !== subject.tokenVersion) return undefined;
    return { username: user.username, role: user.role, regionCode: user.regionCode, ...(user.provider ? { provider: user.provider } : {}) };
  }
}
