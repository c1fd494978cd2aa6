import { ApiProperty } from '@nestjs/swagger';
import { PROGRAMS, PURPOSES } from '@verihub/domain';
import { VERIFICATION_STATUSES, type VerificationStatus } from '../database/verification.entity';
import { MaskedPersonView } from '../verifications/verification.views';

/** `review` of a report: who signed the version, when, and what they remarked; null while unsigned. */
export class ReportReviewView {
  @ApiProperty({ example: 'reviewer', description: 'username of the reviewer' }) signedBy!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
}

export class ReportSignatureView extends ReportReviewView {
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
}

export const OBJECTION_STATES = ['rechecking', 'answered'] as const;

export class ObjectionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty({ type: 'integer', description: 'the signed report version objected to' }) version!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true, description: 'who objected, as recorded' }) raisedBy!: string | null;
  @ApiProperty({ format: 'date-time', description: 'when the objection reached the office' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'when the household received the report (start of the objection period)' })
  reportReceivedAt!: string;
  @ApiProperty({ example: '2026-11-09', description: 'the last day of the objection period (Asia/Shanghai)' }) periodLastDay!: string;
  @ApiProperty({ example: 'officer' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ example: 'objection 7d0c…', description: 'the recheck_reason sent to the aggregator; the answering version’s changeReason names it' })
  recheckReason!: string;
  @ApiProperty({ enum: OBJECTION_STATES, description: 'rechecking until the re-check’s report version arrives' })
  state!: (typeof OBJECTION_STATES)[number];
  @ApiProperty({ type: 'integer', nullable: true, description: 'the report version the re-check produced' })
  answeredByVersion!: number | null;
}

export class ObjectionListView {
  @ApiProperty({ type: [ObjectionView] }) items!: ObjectionView[];
}

export class ReviewQueueItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROGRAMS }) program!: string;
  @ApiProperty({ enum: PURPOSES }) purpose!: string;
  @ApiProperty() regionCode!: string;
  @ApiProperty({ type: MaskedPersonView, nullable: true }) applicant!: MaskedPersonView | null;
  @ApiProperty({ enum: VERIFICATION_STATUSES }) status!: VerificationStatus;
  @ApiProperty({ type: 'integer', description: 'the newest report version, the one to sign' }) version!: number;
  @ApiProperty({ type: String, nullable: true, enum: ['within_limits', 'exceeds_limits', 'incomplete'] }) conclusion!: string | null;
  @ApiProperty({ format: 'date-time', description: 'when that version was issued' }) issuedAt!: string;
  @ApiProperty({ example: 'first issue', description: 'why that version exists' }) changeReason!: string;
}

export class ReviewQueuePageView {
  @ApiProperty({ type: [ReviewQueueItemView] }) items!: ReviewQueueItemView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
