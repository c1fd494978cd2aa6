import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VerificationEntity } from '../database/verification.entity';
import { AuthorizationEntity } from './authorization.entity';

/** A verification cites an authorization record (written once). */
@Entity({ name: 'verification_authorizations' })
@Index('verification_authorizations_authorization_idx', ['authorizationId'])
export class VerificationAuthorizationEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid', primaryKeyConstraintName: 'verification_authorizations_pkey' })
  verificationId!: string;

  @PrimaryColumn({ name: 'authorization_id', type: 'uuid', primaryKeyConstraintName: 'verification_authorizations_pkey' })
  authorizationId!: string;

  @ManyToOne(() => VerificationEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({ name: 'verification_id', foreignKeyConstraintName: 'verification_authorizations_verification_fkey' })
  verification?: VerificationEntity;

  @ManyToOne(() => AuthorizationEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({ name: 'authorization_id', foreignKeyConstraintName: 'verification_authorizations_authorization_fkey' })
  authorization?: AuthorizationEntity;
}
