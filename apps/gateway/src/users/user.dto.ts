import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../database/user.entity';
import { REGION_CODE_MESSAGE, REGION_CODE_PATTERN, oneOf } from '../http/validators';

export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const MIN_PASSWORD_LENGTH = 10;

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
}

export class UserView {
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: '500115' }) regionCode!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
