/** The aggregator's PostgreSQL schema: one DataSource definition for the app and the migration step. */
import type { DataSourceOptions } from 'typeorm';
import { OutboxMessageEntity, createOutboxMigration, createOutboxTopicIndexMigration, serviceDataSourceOptions } from '@verihub/persistence';
import { DataKeyEntity } from '../entities/data-key.entity';
import { ProviderAnswerEntity } from '../entities/provider-answer.entity';
import { ProviderRequestEntity } from '../entities/provider-request.entity';
import { ReportVersionEntity } from '../entities/report-version.entity';
import { VerificationRoundEntity } from '../entities/verification-round.entity';
import { VerificationEntity } from '../entities/verification.entity';
import { CreateVerificationState1764000000000 } from '../migrations/1764000000000-create-verification-state';
import { AddReportDue1766000000000 } from '../migrations/1766000000000-add-report-due';
import { AddAnswerKeyId1767000000000 } from '../migrations/1767000000000-add-answer-key-id';
import { EncryptPersonalData1768000000000 } from '../migrations/1768000000000-encrypt-personal-data';

export const AGGREGATOR_SCHEMA = 'aggregator';

export const aggregatorEntities = [
  VerificationEntity,
  VerificationRoundEntity,
  ProviderRequestEntity,
  ProviderAnswerEntity,
  ReportVersionEntity,
  DataKeyEntity,
  OutboxMessageEntity,
];

export const aggregatorMigrations = [
  createOutboxMigration(AGGREGATOR_SCHEMA, 1763999999000),
  CreateVerificationState1764000000000,
  AddReportDue1766000000000,
  AddAnswerKeyId1767000000000,
  EncryptPersonalData1768000000000,
  createOutboxTopicIndexMigration(AGGREGATOR_SCHEMA, 1769000000000),
];

export function aggregatorDatabaseOptions(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    schema: AGGREGATOR_SCHEMA,
    entities: aggregatorEntities,
    migrations: aggregatorMigrations,
    poolSize,
    applicationName: 'verihub-aggregator',
  });
}
