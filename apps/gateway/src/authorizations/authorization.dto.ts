import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { HasAtMostCharacters, HasNoControlCharacters, NormaliseText, requiredOr } from '../reviews/review-text';

export const MAX_REVOCATION_REASON_LENGTH = 500;

/** POST /api/v1/authorizations/{id}/revoke */
export class RevokeAuthorizationDto {
  @ApiProperty({
    maxLength: MAX_REVOCATION_REASON_LENGTH,
    example: '本人书面撤回授权',
    description: `why the authorization is revoked; trimmed, 1 to ${MAX_REVOCATION_REASON_LENGTH} characters, line breaks allowed, no other control characters`,
  })
  @NormaliseText()
  @IsString({ message: requiredOr('must be a string') })
  @IsNotEmpty({ message: 'must not be empty' })
  @HasAtMostCharacters(MAX_REVOCATION_REASON_LENGTH)
  @HasNoControlCharacters(true)
  reason!: string;
}

/** GET /api/v1/authorizations */
export class ListAuthorizationsQuery {
  @ApiPropertyOptional({ example: 'AUTH-2026-000123', maxLength: 64, description: 'only the record of this document reference' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  @HasNoControlCharacters(false)
  documentRef?: string;
}

export const AUTHORIZATION_STATES = ['valid', 'expired', 'revoked'] as const;

export class AuthorizationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'AUTH-2026-000123' }) documentRef!: string;
  @ApiProperty({ example: '500115********0011', description: 'the member, masked (the record keeps a keyed hash, never the number)' })
  member!: string;
  @ApiProperty({ enum: ['self', 'guardian'], description: 'the member signed, or an adult household member for a minor' })
  signerRelation!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'providers covered; null: every provider' })
  scope!: string[] | null;
  @ApiProperty({ enum: AUTHORIZATION_STATES }) state!: (typeof AUTHORIZATION_STATES)[number];
  @ApiProperty({ description: 'the region of the case that first cited it' }) regionCode!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) revocationReason!: string | null;
  @ApiProperty({ type: [String], description: 'your region’s verifications citing it, oldest first' }) verificationIds!: string[];
}

export class AuthorizationListView {
  @ApiProperty({ type: [AuthorizationView] }) items!: AuthorizationView[];
}
