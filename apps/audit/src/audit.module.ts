import { createSecretKey } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUDIT_SETTINGS, type AuditOptions, type AuditSettings } from './audit-options';
import { AuditorGuard } from './auth/auditor.guard';
import { BearerTokenVerifier } from './auth/bearer-token.verifier';
import { auditDatabaseOptions } from './database/audit-database';
import { AuditEventRecordedHandler } from './handlers/audit-event-recorded.handler';
import { AnomaliesController } from './http/anomalies.controller';
import { AuditChainController } from './http/audit-chain.controller';
import { AuditEntriesController } from './http/audit-entries.controller';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { DetectAnomaliesUseCase } from './use-cases/detect-anomalies.use-case';
import { ExportAuditLogUseCase } from './use-cases/export-audit-log.use-case';
import { RecordAuditEventUseCase } from './use-cases/record-audit-event.use-case';
import { SearchAuditLogUseCase } from './use-cases/search-audit-log.use-case';
import { VerifyAuditChainUseCase } from './use-cases/verify-audit-chain.use-case';

/** The audit service: the event handler that appends to the chain, and the auditor API over it. */
@Module({})
export class AuditModule {
  static forRoot(options: Pick<AuditOptions, 'databaseUrl' | 'jwtSecret' | 'poolSize'>, settings: AuditSettings): DynamicModule {
    return {
      module: AuditModule,
      imports: [
        TypeOrmModule.forRoot({ ...auditDatabaseOptions(options.databaseUrl, options.poolSize), retryAttempts: 3, retryDelay: 1000 }),
        JwtModule.register({ secret: createSecretKey(Buffer.from(options.jwtSecret, 'utf8')), verifyOptions: { algorithms: ['HS256'] } }),
      ],
      controllers: [AuditEventRecordedHandler, AuditEntriesController, AnomaliesController, AuditChainController],
      providers: [
        { provide: AUDIT_SETTINGS, useValue: settings },
        { provide: APP_GUARD, useClass: AuditorGuard },
        BearerTokenVerifier,
        AuditLogRepository,
        RecordAuditEventUseCase,
        SearchAuditLogUseCase,
        ExportAuditLogUseCase,
        DetectAnomaliesUseCase,
        VerifyAuditChainUseCase,
      ],
    };
  }
}
