import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { isKnownProviderId } from '@verihub/domain';
import { ROLES, type Role } from '../database/user.entity';
import { REGION_CODE_MESSAGE, REGION_CODE_PATTERN, oneOf } from '../http/validators';

export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const MIN_PASSWORD_LENGTH = 10;
export const PROVIDER_MESSAGE = 'must be public-security, tax, housing, provident-fund or bank:<CODE> (2-16 capitals or digits)';
const PROVIDER_DESCRIPTION = 'operators only (and required for them): the provider whose adapter they run — ' + PROVIDER_MESSAGE.replace('must be ', '');

/** A provider id of the registry's form (libs/domain isKnownProviderId): "tax", "bank:ICBC", … */
function IsProviderId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isProviderId', validator: { validate: (value: unknown) => typeof value === 'string' && isKnownProviderId(value), defaultMessage: () => PROVIDER_MESSAGE } },
    options,
  );
}

/** Present means validated (null too): only `provider` may be null (to clear it). */
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

/** POST /api/v1/users (admin). */
export class CreateUserDto {
  @ApiProperty({ example: 'officer.li', pattern: USERNAME_PATTERN.source, description: '3-32 characters: lower-case letters, digits, . _ -; starts with a letter' })
  @IsString({ message: 'must be a string' })
  @Matches(USERNAME_PATTERN, { message: 'must be 3-32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter' })
  username!: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200, format: 'password' })
  @IsString({ message: 'must be a string' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: oneOf(ROLES) })
  role!: Role;

  @ApiProperty({ example: '500115', pattern: '^\\d{6}$' })
  @IsString({ message: REGION_CODE_MESSAGE })
  @Matches(REGION_CODE_PATTERN, { message: REGION_CODE_MESSAGE })
  regionCode!: string;

  @ApiPropertyOptional({ example: 'tax', description: PROVIDER_DESCRIPTION })
  @IsOptional()
  @IsProviderId()
  provider?: string;
}

/**
 * PATCH /api/v1/users/{username} (admin): any of these; what is absent stays. A change of password, role,
 * region, provider or activity ends the account's open tokens (it signs in again).
 */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, description: 'moving away from operator clears the provider' })
  @present('role')
  @IsIn(ROLES, { message: oneOf(ROLES) })
  role?: Role;

  @ApiPropertyOptional({ example: '500116', pattern: '^\\d{6}$' })
  @present('regionCode')
  @IsString({ message: REGION_CODE_MESSAGE })
  @Matches(REGION_CODE_PATTERN, { message: REGION_CODE_MESSAGE })
  regionCode?: string;

  @ApiPropertyOptional({ example: 'bank:ICBC', nullable: true, description: PROVIDER_DESCRIPTION })
  @IsOptional()
  @IsProviderId()
  provider?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates: no sign-in, open tokens end; the last active administrator cannot be deactivated' })
  @present('active')
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200, format: 'password', description: 'a new password (a reset); also lifts a sign-in lock' })
  @present('password')
  @IsString({ message: 'must be a string' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  password?: string;

  @ApiPropertyOptional({ enum: [true], description: 'true lifts a sign-in lock (and the failure count) without other change' })
  @present('unlock')
  @IsIn([true], { message: 'must be true (or absent)' })
  unlock?: true;
}

/** An account as administrators see it: never a password or a hash. */
export class UserView {
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: '500115' }) regionCode!: string;
  @ApiPropertyOptional({ example: 'tax', description: 'operators only' }) provider?: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'set while sign-in is locked after failures' })
  lockedUntil!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class UserListView {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
}
