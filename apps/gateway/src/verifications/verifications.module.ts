import { DynamicModule, Module } from '@nestjs/common';
import { AuthorizationsModule } from '../authorizations/authorizations.module';
import { PoliciesModule } from '../policies/policies.module';
import { ReviewReadModule } from '../reviews/review-read.module';
import { CreateVerificationUseCase } from './create-verification.use-case';
import { CreateVerificationsTogetherUseCase } from './create-verifications-together.use-case';
import { ExportReportUseCase } from './export-report.use-case';
import { GetReportUseCase } from './get-report.use-case';
import { GetVerificationUseCase } from './get-verification.use-case';
import { ListReportVersionsUseCase } from './list-report-versions.use-case';
import { ListVerificationsUseCase } from './list-verifications.use-case';
import { RecordVerificationUpdateUseCase } from './record-verification-update.use-case';
import { PdfReportRenderer } from '../report-pdf/pdf-report.renderer';
import { ReportRenderer } from './report-renderer';
import { SourceRegistry } from './source-registry';
import { VerificationUpdatedHandler } from './verification-updated.handler';
import { VerificationRepository } from './verification.repository';
import { VerificationsController } from './verifications.controller';

export interface VerificationsOptions {
  /** Banks whose adapters a verification waits for (VERIHUB_BANKS). */
  bankCodes: readonly string[];
}

/** Accepting verifications (HTTP) and following them (the aggregator's updates, a message handler). */
@Module({})
export class VerificationsModule {
  static forRoot(options: VerificationsOptions): DynamicModule {
    return {
      module: VerificationsModule,
      imports: [PoliciesModule, ReviewReadModule, AuthorizationsModule],
      controllers: [VerificationsController, VerificationUpdatedHandler],
      providers: [
        VerificationRepository,
        CreateVerificationUseCase,
        CreateVerificationsTogetherUseCase,
        ListVerificationsUseCase,
        GetVerificationUseCase,
        GetReportUseCase,
        ExportReportUseCase,
        ListReportVersionsUseCase,
        RecordVerificationUpdateUseCase,
        { provide: SourceRegistry, useValue: new SourceRegistry(options.bankCodes) },
        { provide: ReportRenderer, useClass: PdfReportRenderer },
      ],
      // Batches submit each household through the same use case as a single check.
      exports: [CreateVerificationUseCase, CreateVerificationsTogetherUseCase, SourceRegistry],
    };
  }
}
