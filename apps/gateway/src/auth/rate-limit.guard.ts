import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './auth.decorators';
import type { RateLimitOptions } from './rate-limit.options';

export const SIGN_IN_ROUTE = 'verihub:sign-in';

/** The route exchanges credentials for a token: it has the per-IP sign-in limit instead of the per-user one. */
export const SignInRoute = (): MethodDecorator => SetMetadata(SIGN_IN_ROUTE, true);

function has(key: string, context: ExecutionContext): boolean {
  return Reflect.getMetadata(key, context.getHandler()) === true || Reflect.getMetadata(key, context.getClass()) === true;
}

function clientIp(request: Request): string {
  return normalizeIp(request.ip ?? request.socket.remoteAddress ?? 'unknown', 64);
}

/**
 * The throttlers: "sign-in" counts POST /api/v1/auth/token per client IP; "api" counts every other
 * authenticated request per user (across all routes: the key is the username, not the route). Public
 * routes (health) have neither. The client IP is express's `request.ip` (see `trustProxy`).
 */
export function rateLimitThrottlers(limits: RateLimitOptions): ThrottlerModuleOptions {
  const ttl = limits.windowSeconds * 1000;
  return {
    setHeaders: false,
    throttlers: [
      {
        name: 'sign-in',
        limit: limits.loginLimit,
        ttl,
        skipIf: (context) => limits.loginLimit === 0 || !has(SIGN_IN_ROUTE, context),
        getTracker: (request) => clientIp(request as Request),
        generateKey: (_context, tracker) => `sign-in:${tracker}`,
      },
      {
        name: 'api',
        limit: limits.apiLimit,
        ttl,
        skipIf: (context) => limits.apiLimit === 0 || has(PUBLIC_ROUTE, context),
        getTracker: (request) => {
          const actor = (request as AuthenticatedRequest).actor;
          return actor ? `user:${actor.username}` : `ip:${clientIp(request as Request)}`;
        },
        generateKey: (_context, tracker) => `api:${tracker}`,
      },
    ],
  };
}

/**
 * @nestjs/throttler's guard, answering as the rest of the API does: a 429 problem with Retry-After.
 * Registered after AuthGuard (AuthModule), so the per-user limit knows the user. Message handlers pass.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return super.canActivate(context);
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    throw new GatewayException(
      GatewayExceptionCode.RATE_LIMITED,
      `Too many requests (${detail.limit} per ${Math.round(detail.ttl / 1000)} s); retry in ${seconds} s.`,
      [],
      seconds,
    );
  }
}
