import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { AUDIT_ACTIONS, PROGRAMS } from '@verihub/domain';
import { IsCount, IsIdentityNumber, IsZonedDateTime } from './validators';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const oneOf = (values: readonly string[]) => `must be one of: ${values.join(', ')}`;

/** The filters of a search or an export; all optional, combined with AND. */
export class AuditFilterQuery {
  @ApiPropertyOptional({ description: 'username of the acting user', example: 'officer' })
  @IsOptional()
  @IsString({ message: 'must be a username' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  officer?: string;

  @ApiPropertyOptional({
    description:
      'a person’s resident identity number (checked by its check character): searched by its keyed hash, never stored or logged. ' +
      'Prefer the POST …/entries/search form, which keeps it out of URLs.',
    example: '11010519491231002X',
  })
  @IsOptional()
  @IsString({ message: 'must be a resident identity number' })
  @IsIdentityNumber()
  idNumber?: string;

  @ApiPropertyOptional({ description: 'provider id', example: 'bank:ICBC' })
  @IsOptional()
  @IsString({ message: 'must be a provider id' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  provider?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a uuid' })
  verificationId?: string;

  @ApiPropertyOptional({ enum: PROGRAMS })
  @IsOptional()
  @IsIn(PROGRAMS, { message: oneOf(PROGRAMS) })
  program?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: oneOf(AUDIT_ACTIONS) })
  action?: string;

  @ApiPropertyOptional({ description: 'occurred at or after (ISO 8601 with offset)', example: '2026-11-01T00:00:00+08:00' })
  @IsOptional()
  @IsZonedDateTime()
  from?: string;

  @ApiPropertyOptional({ description: 'occurred at or before (ISO 8601 with offset)', example: '2026-11-30T23:59:59+08:00' })
  @IsOptional()
  @IsZonedDateTime()
  to?: string;
}

export class AuditSearchQuery extends AuditFilterQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsCount(1, 1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsCount(1, MAX_PAGE_SIZE)
  pageSize?: number;
}

export class AnomaliesQuery {
  @ApiPropertyOptional({ description: 'window start (ISO 8601 with offset); default 7 days before `to`' })
  @IsOptional()
  @IsZonedDateTime()
  from?: string;

  @ApiPropertyOptional({ description: 'window end (ISO 8601 with offset); default now' })
  @IsOptional()
  @IsZonedDateTime()
  to?: string;
}
