import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../database/user.entity';
import { HasNoControlCharacters } from '../reviews/review-text';

export class TokenRequestDto {
  @ApiProperty({ example: 'officer' })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  @HasNoControlCharacters(false)
  username!: string;

  @ApiProperty({ example: 'verihub-demo', format: 'password' })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  password!: string;
}

export class TokenUserDto {
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: '500115' }) regionCode!: string;
  @ApiPropertyOptional({ description: 'operators only: the provider whose adapter they run', example: 'tax' }) provider?: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'HS256 JWT; send as "Authorization: Bearer <accessToken>"' })
  accessToken!: string;

  @ApiProperty({ description: 'seconds until the token expires', example: 3600 })
  expiresIn!: number;

  @ApiProperty({ type: TokenUserDto })
  user!: TokenUserDto;
}
