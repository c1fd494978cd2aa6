import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../database/user.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { ALLOWED_ROLES, AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { TokenService } from './token.service';

/**
 * Every HTTP route needs a bearer token unless marked @Public(), and names the roles that may call it
 * with @Roles(...) (a route that names none is closed).
 * Message handlers (the RPC side of the hybrid app) are not HTTP and pass through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
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
    const actor = await this.tokens.verify(match[1]);
    if (!actor) {
      throw new GatewayException(GatewayExceptionCode.AUTHENTICATION_REQUIRED, 'The token is invalid or has expired; request a new one.');
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
}
