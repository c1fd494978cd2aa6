import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule, type MessagingConfig } from '@verihub/messaging';
import { AuditForwardingModule, type AuditForwardingOptions } from './audit/audit-forwarding.module';
import { AuditTrailModule } from './audit/audit-trail.module';
import { BatchesModule } from './batches/batches.module';
import type { BatchSettings } from './batches/batch-settings';
import { AuthModule } from './auth/auth.module';
import { AuthorizationsModule } from './authorizations/authorizations.module';
import type { RateLimitOptions } from './auth/rate-limit.options';
import type { SignInLockoutOptions } from './auth/sign-in-lockout';
import { gatewayDataSourceOptions } from './database/gateway-database';
import { HealthModule } from './health/health.module';
import { OperatorsModule } from './operators/operators.module';
import { GatewayOutboxModule } from './outbox/gateway-outbox.module';
import { PoliciesModule } from './policies/policies.module';
import { ReviewsModule } from './reviews/reviews.module';
import { UsersModule } from './users/users.module';
import { VerificationsModule } from './verifications/verifications.module';

export interface GatewayModuleOptions {
  databaseUrl: string;
  messaging: MessagingConfig;
  jwtSecret: string;
  tokenLifetimeSeconds: number;
  signInLockout: SignInLockoutOptions;
  rateLimits: RateLimitOptions;
  bankCodes: readonly string[];
  identityHashKey: Buffer;
  audit: AuditForwardingOptions;
  batches: BatchSettings;
}

/** The public HTTP API and the read model it serves, composed from options only (no process.env). */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayModuleOptions): DynamicModule {
    const verifications = VerificationsModule.forRoot({ bankCodes: options.bankCodes });
    return {
      module: GatewayModule,
      imports: [
        TypeOrmModule.forRoot(gatewayDataSourceOptions(options.databaseUrl)),
        MessagingModule.forRoot(options.messaging),
        GatewayOutboxModule,
        AuditTrailModule.forRoot({ identityHashKey: options.identityHashKey }),
        AuthModule.forRoot({
          jwtSecret: options.jwtSecret,
          tokenLifetimeSeconds: options.tokenLifetimeSeconds,
          signInLockout: options.signInLockout,
          rateLimits: options.rateLimits,
        }),
        UsersModule,
        PoliciesModule,
        verifications,
        BatchesModule.forRoot({ settings: options.batches, verifications }),
        ReviewsModule,
        AuthorizationsModule,
        OperatorsModule.forRoot({ bankCodes: options.bankCodes }),
        HealthModule,
        AuditForwardingModule.forRoot(options.audit),
      ],
    };
  }
}
