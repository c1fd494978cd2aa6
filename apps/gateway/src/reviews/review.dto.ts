import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { IsCount, IsZonedDateTime } from '../http/validators';
import { MAX_PAGE_SIZE } from '../verifications/verification.views';
import {
  HasAtMostCharacters,
  HasNoControlCharacters,
  MAX_COMMENT_LENGTH,
  MAX_RAISED_BY_LENGTH,
  MAX_REASON_LENGTH,
  NormaliseText,
  requiredOr,
} from './review-text';

/** POST /api/v1/verifications/{id}/report/signature */
export class SignReportDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'the report version signed: must be the newest one' })
  @IsCount(1, 1_000_000, { message: requiredOr('must be an integer from 1 to 1000000') })
  version!: number;

  @ApiPropertyOptional({
    maxLength: MAX_COMMENT_LENGTH,
    example: '已核对，材料齐全。',
    description: `the reviewer's remark; trimmed, at most ${MAX_COMMENT_LENGTH} characters, line breaks allowed, no other control characters; empty means none`,
  })
  @IsOptional()
  @NormaliseText()
  @IsString({ message: 'must be a string' })
  @HasAtMostCharacters(MAX_COMMENT_LENGTH)
  @HasNoControlCharacters(true)
  comment?: string;
}

/** POST /api/v1/verifications/{id}/objections */
export class RecordObjectionDto {
  @ApiProperty({
    maxLength: MAX_REASON_LENGTH,
    example: '申请人称2026年3月的工资记录不是本人的。',
    description: `what the household disputes; trimmed, 1 to ${MAX_REASON_LENGTH} characters, line breaks allowed, no other control characters`,
  })
  @NormaliseText()
  @IsString({ message: requiredOr('must be a string') })
  @IsNotEmpty({ message: 'must not be empty' })
  @HasAtMostCharacters(MAX_REASON_LENGTH)
  @HasNoControlCharacters(true)
  reason!: string;

  @ApiPropertyOptional({
    maxLength: MAX_RAISED_BY_LENGTH,
    example: '张三（申请人）',
    description: `who objected, as written on the objection (free text, one line, at most ${MAX_RAISED_BY_LENGTH} characters)`,
  })
  @IsOptional()
  @NormaliseText()
  @IsString({ message: 'must be a string' })
  @HasAtMostCharacters(MAX_RAISED_BY_LENGTH)
  @HasNoControlCharacters(false)
  raisedBy?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-05T10:30:00+08:00',
    description: 'when the objection reached the office (ISO 8601 with offset; default now; not in the future)',
  })
  @IsOptional()
  @IsZonedDateTime()
  receivedAt?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-03T15:00:00+08:00',
    description:
      'when the household received the signed report (ISO 8601 with offset); default the signature time. ' +
      'The 5 working days of the objection period count from this day.',
  })
  @IsOptional()
  @IsZonedDateTime()
  reportReceivedAt?: string;
}

/** GET /api/v1/reviews/pending */
export class ReviewQueueQuery {
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
