import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Matches, IsString } from 'class-validator';
import { PROGRAMS, PURPOSES, RELATIONS, type Program } from '@verihub/domain';
import { SOURCE_STATUSES, VERIFICATION_STATUSES, type SourceStatus, type VerificationStatus } from '../database/verification.entity';
import { IsCount, REGION_CODE_MESSAGE, REGION_CODE_PATTERN, oneOf } from '../http/validators';
import { REVIEW_STATES, type ReviewState } from '../reviews/review-state';

const REVIEW_STATE_DESCRIPTION =
  'unsigned: no report yet, or the newest version awaits a reviewer’s signature; signed: the newest version is signed; ' +
  'objection_open: an objection started a re-check whose report version has not arrived yet';

export class MaskedPersonView {
  @ApiProperty({ example: '110105********002X', description: 'masked: first 6 and last 4 characters' })
  idNumber!: string;

  @ApiProperty({ example: '张*', description: 'masked: first character' })
  name!: string;
}

export class MaskedMemberView extends MaskedPersonView {
  @ApiProperty({ enum: RELATIONS }) relation!: string;
}

export class PolicyRefView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: number;
}

export class SourceStateView {
  @ApiProperty({ example: 'tax' }) department!: string;
  @ApiProperty({ example: 'bank:ICBC' }) provider!: string;
  @ApiProperty({ enum: SOURCE_STATUSES }) status!: SourceStatus;
  @ApiProperty({ description: 'records the provider returned' }) records!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) respondedAt!: string | null;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ description: 'the answer arrived after the deadline' }) late?: boolean;
}

export class VerificationCreatedView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ enum: PROGRAMS }) program!: string;
  @ApiProperty({ enum: PURPOSES }) purpose!: string;
  @ApiProperty() regionCode!: string;
  @ApiProperty({ example: '2026-11-01' }) asOf!: string;
  @ApiProperty() memberCount!: number;
  @ApiProperty({ type: PolicyRefView }) policy!: PolicyRefView;
}

export class VerificationSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: VERIFICATION_STATUSES }) status!: VerificationStatus;
  @ApiProperty({ enum: PROGRAMS }) program!: string;
  @ApiProperty({ enum: PURPOSES }) purpose!: string;
  @ApiProperty() regionCode!: string;
  @ApiProperty({ example: '2026-11-01' }) asOf!: string;
  @ApiProperty({ type: MaskedPersonView, nullable: true }) applicant!: MaskedPersonView | null;
  @ApiProperty() memberCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: '0 while no report is issued' }) reportVersion!: number;
  @ApiProperty({ type: String, nullable: true, enum: ['within_limits', 'exceeds_limits', 'incomplete'], description: 'of the newest report' })
  conclusion!: string | null;
  @ApiProperty({ enum: REVIEW_STATES, description: REVIEW_STATE_DESCRIPTION }) reviewState!: ReviewState;
}

export class VerificationPageView {
  @ApiProperty({ type: [VerificationSummaryView] }) items!: VerificationSummaryView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class VerificationDetailView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: VERIFICATION_STATUSES }) status!: VerificationStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ enum: PROGRAMS }) program!: string;
  @ApiProperty({ enum: PURPOSES }) purpose!: string;
  @ApiProperty() regionCode!: string;
  @ApiProperty({ example: '2026-11-01' }) asOf!: string;
  @ApiProperty({ type: PolicyRefView }) policy!: PolicyRefView;
  @ApiProperty({ type: [MaskedMemberView] }) members!: MaskedMemberView[];
  @ApiProperty({ type: [SourceStateView] }) sources!: SourceStateView[];
  @ApiProperty({ description: '0 while no report is issued' }) reportVersion!: number;
  @ApiProperty({ enum: REVIEW_STATES, description: REVIEW_STATE_DESCRIPTION }) reviewState!: ReviewState;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'the newest report version (api.md "Report") with its `review` (signature or null), once issued; omitted for roles that may not read report bodies',
  })
  report?: Record<string, unknown>;
}

export class ReportVersionView {
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: 'first issue' }) changeReason!: string;
  @ApiProperty({
    nullable: true,
    type: 'array',
    items: { type: 'object', properties: { path: { type: 'string' }, from: {}, to: {} } },
    description: 'what changed from the previous version (null for the first)',
  })
  changes!: Array<{ path: string; from: unknown; to: unknown }> | null;
}

export class ReportVersionListView {
  @ApiProperty({ type: [ReportVersionView] }) items!: ReportVersionView[];
}

export const MAX_PAGE_SIZE = 100;

export class ListVerificationsQuery {
  @ApiPropertyOptional({ enum: VERIFICATION_STATUSES })
  @IsOptional()
  @IsIn(VERIFICATION_STATUSES, { message: oneOf(VERIFICATION_STATUSES) })
  status?: VerificationStatus;

  @ApiPropertyOptional({ enum: PROGRAMS })
  @IsOptional()
  @IsIn(PROGRAMS, { message: oneOf(PROGRAMS) })
  program?: Program;

  @ApiPropertyOptional({ description: 'admins and auditors may filter by region; officers and reviewers see only their own' })
  @IsOptional()
  @IsString({ message: REGION_CODE_MESSAGE })
  @Matches(REGION_CODE_PATTERN, { message: REGION_CODE_MESSAGE })
  regionCode?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsCount(1, 1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsCount(1, MAX_PAGE_SIZE)
  pageSize?: number;
}

export class ReportQuery {
  @ApiPropertyOptional({ minimum: 1, type: 'integer', description: 'a report version; default the newest' })
  @IsOptional()
  @Type(() => Number)
  @IsCount(1, 1_000_000)
  version?: number;
}
