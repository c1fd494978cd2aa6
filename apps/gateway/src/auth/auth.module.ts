import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditTrail } from '../audit/audit-trail';
import { UserRepository } from '../users/user.repository';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { IssueTokenUseCase } from './issue-token.use-case';
import { RateLimitGuard, rateLimitThrottlers } from './rate-limit.guard';
import type { RateLimitOptions } from './rate-limit.options';
import type { SignInLockoutOptions } from './sign-in-lockout';
import { TokenService } from './token.service';

export interface AuthOptions {
  jwtSecret: string;
  tokenLifetimeSeconds: number;
  signInLockout: SignInLockoutOptions;
  rateLimits: RateLimitOptions;
}

/**
 * Bearer tokens, sign-in with lockout, and the two guards every HTTP route passes, in this order
 * (APP_GUARDs of one module run in the order listed): AuthGuard (who, and may this role call the
 * route), then RateLimitGuard (per user, so it needs the user).
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        UsersModule,
        JwtModule.register({
          // A key object, not the string: jsonwebtoken would otherwise try to parse the string as a public key
          // (and fail, and fall back) on every request — 4 % of the gateway's CPU under load, measured.
          secret: createSecretKey(Buffer.from(options.jwtSecret, 'utf8')),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        ThrottlerModule.forRoot(rateLimitThrottlers(options.rateLimits)),
      ],
      controllers: [AuthController],
      providers: [
        { provide: TokenService, useFactory: (jwt: JwtService) => new TokenService(jwt, options.tokenLifetimeSeconds), inject: [JwtService] },
        {
          provide: IssueTokenUseCase,
          useFactory: (users: UserRepository, tokens: TokenService, audit: AuditTrail) => new IssueTokenUseCase(users, tokens, options.signInLockout, audit),
          inject: [UserRepository, TokenService, AuditTrail],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
