import { DynamicModule, Module } from '@nestjs/common';
import { OpenReportForAuditUseCase } from './open-report-for-audit.use-case';
import { AUDIT_FORWARDING_OPTIONS, AuditForwarder, type AuditForwardingOptions } from './audit-forwarder';
import { AuditForwardingController } from './audit-forwarding.controller';
import { AuditOpeningsController } from './audit-openings.controller';
import { ReviewReadModule } from '../reviews/review-read.module';
import { VerificationRepository } from '../verifications/verification.repository';

export type { AuditForwardingOptions } from './audit-forwarder';

/**
 * The audit office's routes on the gateway: report openings (served here: the report bodies live in the
 * gateway) and the auditor API of the audit service (forwarded). Openings is registered first, so that it
 * is never taken for a forwarded route.
 */
@Module({})
export class AuditForwardingModule {
  static forRoot(options: AuditForwardingOptions): DynamicModule {
    return {
      module: AuditForwardingModule,
      imports: [ReviewReadModule],
      controllers: [AuditOpeningsController, AuditForwardingController],
      providers: [{ provide: AUDIT_FORWARDING_OPTIONS, useValue: options }, AuditForwarder, VerificationRepository, OpenReportForAuditUseCase],
    };
  }
}
