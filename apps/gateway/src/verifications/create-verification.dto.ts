import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  containsIdentityNumber,
  MAX_MEMBERS,
  PROGRAMS,
  PURPOSES,
  RELATIONS,
  type Authorization,
  type Declaration,
  type HouseholdMember,
  type Program,
  type Purpose,
  type Relation,
  type VerificationRequest,
} from '@verihub/domain';
import { IsCalendarDate, IsCount, IsFen, IsZonedDateTime, REGION_CODE_MESSAGE, REGION_CODE_PATTERN, oneOf } from '../http/validators';
import { HasNoControlCharacters } from '../reviews/review-text';

/** Provider ids a scope may name ("tax", "bank:ICBC"); which ones this hub asks is checked with the request. */
const PROVIDER_ID_SHAPE = /^(public-security|tax|housing|provident-fund|bank:[A-Z0-9]{2,16})$/;

export class MemberDto implements HouseholdMember {
  @ApiProperty({ description: '18-character resident identity number (GB 11643-1999), checked by its check character', example: '11010519491231002X' })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  idNumber!: string;

  @ApiProperty({ example: '张三', maxLength: 64 })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  @HasNoControlCharacters(false)
  name!: string;

  @ApiProperty({ enum: RELATIONS, description: 'exactly one member is the applicant' })
  @IsIn(RELATIONS, { message: oneOf(RELATIONS) })
  relation!: Relation;
}

export class DeclaredIncomeDto {
  @ApiPropertyOptional({ description: 'monthly, integer fen', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsFen()
  wage?: number;

  @ApiPropertyOptional({ description: 'monthly, integer fen', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsFen()
  business?: number;

  @ApiPropertyOptional({ description: 'monthly, integer fen', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsFen()
  property?: number;

  @ApiPropertyOptional({ description: 'monthly, integer fen (pensions, alimony...)', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsFen()
  transfer?: number;
}

export class DeclarationDto implements Declaration {
  @ApiPropertyOptional({ type: DeclaredIncomeDto, description: 'a missing category counts as 0' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeclaredIncomeDto)
  monthlyIncome?: DeclaredIncomeDto;

  @ApiPropertyOptional({ description: 'integer fen; not compared when absent', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsFen()
  financialAssets?: number;

  @ApiPropertyOptional({ description: 'number of vehicles; not compared when absent', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsCount(0, 1000)
  vehicles?: number;

  @ApiPropertyOptional({ description: 'number of properties; not compared when absent', minimum: 0, type: 'integer' })
  @IsOptional()
  @IsCount(0, 1000)
  properties?: number;
}

export class AuthorizationDto implements Authorization {
  @ApiProperty({ description: 'the member this authorization permits querying' })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  idNumber!: string;

  @ApiProperty({ description: "identity number or name of the signer: the member, or an adult member of the household for a minor" })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  @HasNoControlCharacters(false)
  signedBy!: string;

  @ApiProperty({
    example: 'AUTH-2026-000123',
    maxLength: 64,
    description:
      'the signed document’s reference: one document, one record (the gateway keeps each authorization as a record; ' +
      'citing a reference again re-uses its record when the details are the same, and is refused for another person or other details). ' +
      'One line, no identity number (it is written to the audit log).',
  })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  @HasNoControlCharacters(false)
  @ValidateBy({
    name: 'hasNoIdentityNumber',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !containsIdentityNumber(value),
      defaultMessage: () => 'must not contain an identity number',
    },
  })
  documentRef!: string;

  @ApiProperty({ example: '2026-10-30T09:00:00+08:00', description: 'ISO 8601 with offset; before now' })
  @IsZonedDateTime()
  signedAt!: string;

  @ApiProperty({ example: '2027-10-30T00:00:00+08:00', description: 'ISO 8601 with offset; not yet passed' })
  @IsZonedDateTime()
  expiresAt!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'],
    description:
      'the providers the authorization covers; absent: every provider. A verification asks every provider the hub has, ' +
      'so a scope that leaves one out is refused (400 naming the member and the providers not covered).',
  })
  @IsOptional()
  @IsArray({ message: 'must be an array of provider ids' })
  @ArrayMaxSize(64, { message: 'must list at most 64 providers' })
  @IsString({ each: true, message: 'must list provider ids (strings)' })
  @Matches(PROVIDER_ID_SHAPE, { each: true, message: 'must list provider ids: public-security, tax, housing, provident-fund or bank:<CODE>' })
  scope?: string[];
}

/** POST /api/v1/verifications (api.md "Verifications"). */
export class CreateVerificationDto implements VerificationRequest {
  @ApiProperty({ enum: PROGRAMS })
  @IsIn(PROGRAMS, { message: oneOf(PROGRAMS) })
  program!: Program;

  @ApiProperty({ enum: PURPOSES })
  @IsIn(PURPOSES, { message: oneOf(PURPOSES) })
  purpose!: Purpose;

  @ApiProperty({ example: '500115', pattern: '^\\d{6}$' })
  @IsString({ message: REGION_CODE_MESSAGE })
  @Matches(REGION_CODE_PATTERN, { message: REGION_CODE_MESSAGE })
  regionCode!: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'YYYY-MM-DD; default today in Asia/Shanghai; not in the future' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiProperty({ type: [MemberDto], minItems: 1, maxItems: MAX_MEMBERS })
  @IsArray({ message: 'must be an array of members' })
  @ArrayMinSize(1, { message: 'must list at least one member' })
  @ArrayMaxSize(MAX_MEMBERS, { message: `must list at most ${MAX_MEMBERS} members` })
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members!: MemberDto[];

  @ApiPropertyOptional({ type: DeclarationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeclarationDto)
  declared?: DeclarationDto;

  @ApiProperty({ type: [AuthorizationDto], description: 'one valid authorization per member (先授权、后核对)' })
  @IsArray({ message: 'must be an array of authorizations' })
  @ArrayMaxSize(MAX_MEMBERS * 2, { message: `must list at most ${MAX_MEMBERS * 2} authorizations` })
  @ValidateNested({ each: true })
  @Type(() => AuthorizationDto)
  authorizations!: AuthorizationDto[];
}
