import { Module } from '@nestjs/common';
import { ReportSignatureRepository } from './report-signature.repository';

/**
 * What other modules read of reviews — the signature of a report version (`findSignature`) — without
 * depending on the review use cases (which themselves depend on the verification read model).
 */
@Module({
  providers: [ReportSignatureRepository],
  exports: [ReportSignatureRepository],
})
export class ReviewReadModule {}
