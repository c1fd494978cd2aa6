import { DataSourceOptions } from 'typeorm';
import { createOutboxMigration, createOutboxTopicIndexMigration, OutboxMessageEntity, serviceDataSourceOptions } from '@verihub/persistence';
import { BatchEntity, BatchItemEntity, BatchRejectionEntity } from '../batches/batch.entity';
import { CreateBatches1795600000000 } from './migrations/1795600000000-create-batches';
import { CountBatchProgress1795800000000 } from './migrations/1795800000000-count-batch-progress';
import { AuditOpeningEntity } from '../audit/audit-opening.entity';
import { AuthorizationEntity } from '../authorizations/authorization.entity';
import { VerificationAuthorizationEntity } from '../authorizations/verification-authorization.entity';
import { ObjectionEntity } from '../reviews/objection.entity';
import { ReportSignatureEntity } from '../reviews/report-signature.entity';
import { CreateGatewayTables1795000000000 } from './migrations/1795000000000-create-gateway-tables';
import { CreateReviewTables1795100000000 } from './migrations/1795100000000-create-review-tables';
import { HardenUserAccounts1795200000000 } from './migrations/1795200000000-harden-user-accounts';
import { CreateAuditOpenings1795300000000 } from './migrations/1795300000000-create-audit-openings';
import { CreateAuthorizationRecords1795400000000 } from './migrations/1795400000000-create-authorization-records';
import { EncryptPersonalData1795500000000 } from './migrations/1795500000000-encrypt-personal-data';
import { GatewayDataKeyEntity } from './data-key.entity';
import { PolicyEntity } from './policy.entity';
import { ReportVersionEntity } from './report-version.entity';
import { UserEntity } from './user.entity';
import { VerificationEntity } from './verification.entity';

export const GATEWAY_SCHEMA = 'gateway';

export const GATEWAY_ENTITIES = [
  UserEntity,
  PolicyEntity,
  VerificationEntity,
  ReportVersionEntity,
  ReportSignatureEntity,
  ObjectionEntity,
  AuditOpeningEntity,
  AuthorizationEntity,
  VerificationAuthorizationEntity,
  GatewayDataKeyEntity,
  OutboxMessageEntity,
  BatchEntity,
  BatchItemEntity,
  BatchRejectionEntity,
];

export const GATEWAY_MIGRATIONS = [
  createOutboxMigration(GATEWAY_SCHEMA, 1794999999999),
  CreateGatewayTables1795000000000,
  CreateReviewTables1795100000000,
  HardenUserAccounts1795200000000,
  CreateAuditOpenings1795300000000,
  CreateAuthorizationRecords1795400000000,
  EncryptPersonalData1795500000000,
  CreateBatches1795600000000,
  createOutboxTopicIndexMigration(GATEWAY_SCHEMA, 1795700000000),
  CountBatchProgress1795800000000,
];

/** The one description of the gateway's database, shared by the app and `main.js migrate`. */
export function gatewayDataSourceOptions(databaseUrl: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: GATEWAY_SCHEMA,
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
    poolSize,
    applicationName: 'verihub-gateway',
  });
}
