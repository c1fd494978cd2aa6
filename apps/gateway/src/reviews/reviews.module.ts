import { Module } from '@nestjs/common';
import { AuthorizationsModule } from '../authorizations/authorizations.module';
import { VerificationRepository } from '../verifications/verification.repository';
import { ListObjectionsUseCase } from './list-objections.use-case';
import { ListPendingReviewsUseCase } from './list-pending-reviews.use-case';
import { ObjectionRepository } from './objection.repository';
import { ObjectionsController } from './objections.controller';
import { RecordObjectionUseCase } from './record-objection.use-case';
import { ReportSignatureController } from './report-signature.controller';
import { ReviewQueueRepository } from './review-queue.repository';
import { ReviewReadModule } from './review-read.module';
import { ReviewQueueController } from './review-queue.controller';
import { SignReportUseCase } from './sign-report.use-case';

/**
 * Review (审核) and objections (异议), domain.md sections 2–3: reviewers sign report versions, officers
 * and reviewers record objections that start a re-check, reviewers work through their queue.
 * VerificationRepository is provided here as well (it is stateless): this module reads and locks the
 * verification read model without depending on the verifications module, which reads signatures from
 * ReviewReadModule.
 */
@Module({
  imports: [ReviewReadModule, AuthorizationsModule],
  controllers: [ReportSignatureController, ObjectionsController, ReviewQueueController],
  providers: [
    VerificationRepository,
    ObjectionRepository,
    ReviewQueueRepository,
    SignReportUseCase,
    RecordObjectionUseCase,
    ListObjectionsUseCase,
    ListPendingReviewsUseCase,
  ],
})
export class ReviewsModule {}
