import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Topics, packAuditEvents, queryRequestedTopic } from '@verihub/contracts';
import { type ConsumerReadiness, MessagePublisher, MessagingModule } from '@verihub/messaging';
import { OutboxRelay } from '@verihub/persistence';
import { AGGREGATOR_SETTINGS, type AggregatorOptions, aggregatorSettingsOf } from './aggregator-options';
import { aggregatorDatabaseOptions } from './database/aggregator-database';
import { AuthorizationRevokedHandler } from './handlers/authorization-revoked.handler';
import { QueryOutcomeHandler } from './handlers/query-outcome.handler';
import { VerificationRequestedHandler } from './handlers/verification-requested.handler';
import { BackgroundJobs } from './jobs/background-jobs';
import { CONSUMER_READINESS } from './jobs/consumer-readiness';
import { DeadlineSweeper } from './jobs/deadline-sweeper';
import { DataKeyCheck } from './database/data-key-check';
import { AnswerSignatures } from './messages/answer-signatures';
import { ProviderAuditTrail } from './messages/provider-audit';
import { VerificationUpdates } from './messages/verification-updates';
import { ReportIssuer } from './reports/report-issuer';
import { ProviderAnswerRepository } from './repositories/provider-answer.repository';
import { ProviderRequestRepository } from './repositories/provider-request.repository';
import { ReportVersionRepository } from './repositories/report-version.repository';
import { VerificationRepository } from './repositories/verification.repository';
import { EnforceDeadlinesUseCase } from './use-cases/enforce-deadlines.use-case';
import { IssueDueReportsUseCase } from './use-cases/issue-due-reports.use-case';
import { RecordAnswerUseCase } from './use-cases/record-answer.use-case';
import { StartVerificationUseCase } from './use-cases/start-verification.use-case';
import { StopQueriesOnRevocationUseCase } from './use-cases/stop-queries-on-revocation.use-case';

/**
 * The aggregator: message handlers, use cases, repositories, the outbox relay and the deadline sweeper.
 * `consumer` is the message server the handlers run on (createMessageServer): the sweeper waits until it
 * consumes.
 */
@Module({})
export class AggregatorModule {
  static forRoot(options: AggregatorOptions, consumer: ConsumerReadiness): DynamicModule {
    const settings = aggregatorSettingsOf(options);
    return {
      module: AggregatorModule,
      imports: [
        TypeOrmModule.forRoot({
          ...aggregatorDatabaseOptions(options.databaseUrl, options.poolSize),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        MessagingModule.forRoot(options.messaging),
      ],
      controllers: [VerificationRequestedHandler, QueryOutcomeHandler, AuthorizationRevokedHandler],
      providers: [
        { provide: AGGREGATOR_SETTINGS, useValue: settings },
        { provide: CONSUMER_READINESS, useValue: consumer },
        {
          provide: OutboxRelay,
          // Published rows are deleted: the messages carry personal data (QueryRequested, the report in VerificationUpdated).
          // Interactive checks' requests and updates go out ahead of a batch's backlog; audit events travel packed.
          useFactory: (dataSource: DataSource, publisher: MessagePublisher) =>
            new OutboxRelay(dataSource, publisher, {
              deletePublished: true,
              pack: (messages) => packAuditEvents(messages, 'aggregator'),
              firstTopics: [Topics.verificationUpdated, ...settings.providers.map((p) => queryRequestedTopic(p.id))],
            }),
          inject: [DataSource, MessagePublisher],
        },
        DataKeyCheck,
        VerificationRepository,
        ProviderRequestRepository,
        ProviderAnswerRepository,
        ReportVersionRepository,
        VerificationUpdates,
        AnswerSignatures,
        ProviderAuditTrail,
        ReportIssuer,
        StartVerificationUseCase,
        RecordAnswerUseCase,
        EnforceDeadlinesUseCase,
        IssueDueReportsUseCase,
        StopQueriesOnRevocationUseCase,
        DeadlineSweeper,
        BackgroundJobs,
      ],
    };
  }
}
