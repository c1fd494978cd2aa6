import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsDefined, IsIn, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PROGRAMS, type Program } from '@verihub/domain';
import { IsCalendarDate, IsCount, IsFen, REGION_CODE_MESSAGE, REGION_CODE_PATTERN, oneOf } from '../http/validators';
import { VEHICLE_TYPES } from './policy-rules';

const MAX_COUNT = 1_000_000;

export class StandardMonthlyDto {
  @ApiProperty({ description: 'monthly standard for urban hukou, integer fen > 0', example: 78000, type: 'integer', minimum: 1 })
  @IsCount(1, Number.MAX_SAFE_INTEGER, { message: 'must be an integer amount of fen > 0' })
  urban!: number;

  @ApiProperty({ description: 'monthly standard for rural hukou, integer fen > 0', example: 62000, type: 'integer', minimum: 1 })
  @IsCount(1, Number.MAX_SAFE_INTEGER, { message: 'must be an integer amount of fen > 0' })
  rural!: number;
}

export class DiscrepancyToleranceDto {
  @ApiProperty({ description: 'integer fen ≥ 0', example: 10000, type: 'integer', minimum: 0 })
  @IsFen()
  absolute!: number;

  @ApiProperty({ description: 'fraction 0..1, at most 4 decimals', example: 0.1, minimum: 0, maximum: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 }, { message: 'must be a number with at most 4 decimals' })
  @Min(0, { message: 'must be from 0 to 1' })
  @Max(1, { message: 'must be from 0 to 1' })
  relative!: number;
}

/** POST /api/v1/policies (admin): the policy object of domain.md section 6, plus the extension maxResidentialAreaPerCapitaM2. Unknown fields are refused. */
export class CreatePolicyDto {
  @ApiProperty({ example: '500115', pattern: '^\\d{6}$' })
  @IsString({ message: REGION_CODE_MESSAGE })
  @Matches(REGION_CODE_PATTERN, { message: REGION_CODE_MESSAGE })
  regionCode!: string;

  @ApiProperty({ enum: PROGRAMS })
  @IsIn(PROGRAMS, { message: oneOf(PROGRAMS) })
  program!: Program;

  @ApiProperty({ example: '2026-01-01', description: 'YYYY-MM-DD; applies to verifications whose asOf is on or after it' })
  @IsCalendarDate()
  effectiveFrom!: string;

  @ApiProperty({ type: StandardMonthlyDto })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => StandardMonthlyDto)
  standardMonthly!: StandardMonthlyDto;

  @ApiPropertyOptional({ description: 'income lookback in months, default 12', minimum: 1, maximum: 36, default: 12, type: 'integer' })
  @IsOptional()
  @IsCount(1, 36)
  incomeLookbackMonths?: number;

  @ApiProperty({ description: 'financial assets limit in months of the standard per person', example: 24, type: 'integer', minimum: 0 })
  @IsCount(0, MAX_COUNT)
  financialAssetsMonthsLimit!: number;

  @ApiProperty({ example: 0, type: 'integer', minimum: 0 })
  @IsCount(0, MAX_COUNT)
  maxCountedVehicles!: number;

  @ApiPropertyOptional({ enum: VEHICLE_TYPES, isArray: true, default: [], example: ['motorcycle', 'tricycle', 'disability'] })
  @IsOptional()
  @IsArray({ message: 'must be an array of vehicle types' })
  @ArrayMaxSize(VEHICLE_TYPES.length, { message: `must list at most ${VEHICLE_TYPES.length} vehicle types` })
  @ArrayUnique({ message: 'must not list a vehicle type twice' })
  @IsIn(VEHICLE_TYPES, { each: true, message: `each must be one of: ${VEHICLE_TYPES.join(', ')}` })
  exemptVehicleTypes?: string[];

  @ApiProperty({ example: 1, type: 'integer', minimum: 0 })
  @IsCount(0, MAX_COUNT)
  maxResidentialProperties!: number;

  @ApiProperty({ example: 0, type: 'integer', minimum: 0 })
  @IsCount(0, MAX_COUNT)
  maxNonResidentialProperties!: number;

  @ApiPropertyOptional({
    description:
      "monthly wage disregard per member, integer fen, default 0: subtracted from a month's wage where it is > 0, not below 0 (set regional disregards such as Shanghai's here)",
    default: 0,
    type: 'integer',
    minimum: 0,
  })
  @IsOptional()
  @IsFen()
  employmentDeductionMonthly?: number;

  @ApiPropertyOptional({ type: DiscrepancyToleranceDto, description: 'default {"absolute":0,"relative":0}' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DiscrepancyToleranceDto)
  discrepancyTolerance?: DiscrepancyToleranceDto;

  @ApiPropertyOptional({
    description:
      'extension (housing assistance): the realEstate test also requires the residential floor area per capita (by ownership share, over the counted members) to be at most this many m²; at most 2 decimals; absent = no area rule',
    minimum: 0,
    maximum: 100_000,
    example: 15,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'must be a number of m² with at most 2 decimals' })
  @Min(0, { message: 'must be ≥ 0' })
  @Max(100_000, { message: 'must be at most 100000' })
  maxResidentialAreaPerCapitaM2?: number;
}

export class ListPoliciesQuery {
  @ApiPropertyOptional({ example: '500115' })
  @IsOptional()
  @IsString({ message: REGION_CODE_MESSAGE })
  @Matches(REGION_CODE_PATTERN, { message: REGION_CODE_MESSAGE })
  regionCode?: string;

  @ApiPropertyOptional({ enum: PROGRAMS })
  @IsOptional()
  @IsIn(PROGRAMS, { message: oneOf(PROGRAMS) })
  program?: Program;
}

export class PolicyView extends CreatePolicyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'version within (regionCode, program), from 1' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() createdBy!: string;
}

export class PolicyListView {
  @ApiProperty({ type: [PolicyView] }) items!: PolicyView[];
}
