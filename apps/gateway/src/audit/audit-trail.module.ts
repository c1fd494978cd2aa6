import { DynamicModule, Global, Module } from '@nestjs/common';
import { AUDIT_TRAIL_SETTINGS, AuditTrail, type AuditTrailSettings } from './audit-trail';

/** The gateway's audit trail (AuditTrail), available to every module. */
@Global()
@Module({})
export class AuditTrailModule {
  static forRoot(settings: AuditTrailSettings): DynamicModule {
    return {
      module: AuditTrailModule,
      providers: [{ provide: AUDIT_TRAIL_SETTINGS, useValue: settings }, AuditTrail],
      exports: [AuditTrail],
    };
  }
}
