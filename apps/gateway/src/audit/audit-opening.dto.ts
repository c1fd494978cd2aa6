import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, ValidateBy } from 'class-validator';
import { containsIdentityNumber } from '@verihub/domain';
import { IsCount } from '../http/validators';
import { HasAtMostCharacters, HasNoControlCharacters, NormaliseText, requiredOr } from '../reviews/review-text';

export const MAX_OPENING_REASON_LENGTH = 500;

/** POST /api/v1/audit/openings */
export class OpenReportForAuditDto {
  @ApiProperty({ format: 'uuid', description: 'the verification whose report the audit needs' })
  @IsUUID('all', { message: requiredOr('must be a uuid') })
  verificationId!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'a report version; default the newest' })
  @IsOptional()
  @IsCount(1, 1_000_000)
  version?: number;

  @ApiProperty({
    maxLength: MAX_OPENING_REASON_LENGTH,
    example: '审计抽查：2026年第四季度低保复核',
    description:
      `why the audit needs the report body (kept with the opening); trimmed, 1 to ${MAX_OPENING_REASON_LENGTH} characters, ` +
      'line breaks allowed, no other control characters, and no identity numbers (refer to people by the case)',
  })
  @NormaliseText()
  @IsString({ message: requiredOr('must be a string') })
  @IsNotEmpty({ message: 'must not be empty' })
  @HasAtMostCharacters(MAX_OPENING_REASON_LENGTH)
  @HasNoControlCharacters(true)
  @ValidateBy({
    name: 'hasNoIdentityNumber',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !containsIdentityNumber(value),
      defaultMessage: () => 'must not contain an identity number (refer to the case instead)',
    },
  })
  reason!: string;
}
