/**
 * startAdapter: a NestJS microservice that answers one provider's requests from the department's data
 * source. migrateAdapterState: the adapter's own schema, as an explicit step (never at boot).
 */
import { type DynamicModule, type INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { AUDIT_EVENT_TOPICS, queryRequestedTopic, Topics, bothLanes } from '@verihub/contracts';
import { createMessageServer, ensureTopics, MessagePublisher, MessagingModule } from '@verihub/messaging';
import { MIN_IDENTITY_HASH_KEY_BYTES, parsePrivateKey, parsePublicKey } from '@verihub/domain';
import { createServiceDataSource, migrateServiceDatabase } from '@verihub/persistence';
import { type AdapterOptions, type AdapterStateOptions, type RunningAdapter, defaultStateSchema } from './adapter-options';
import { adapterStateMigrations } from './adapter-state.migrations';
import { AdapterAuditTrail } from './adapter-audit';
import { AnswerQueryUseCase } from './answer-query.use-case';
import { HandledRequestEntity } from './handled-request.entity';
import { HandledRequestRepository } from './handled-request.repository';
import { createQueryRequestedController } from './query-requested.controller';
import { QueryTokenVerifier } from './query-token.verifier';

const DEFAULT_MAX_DELIVERIES = 3;
const DEFAULT_TRANSPORT_ATTEMPTS = 5;

@Module({})
class AdapterModule {}

/** The adapter state DataSource (schema adapter_<slug>), shared by the running adapter and its migration step. */
export function createAdapterStateDataSource(options: AdapterStateOptions & { poolSize?: number }): DataSource {
  const schema = options.stateSchema ?? defaultStateSchema(options.provider);
  return createServiceDataSource({
    url: options.databaseUrl,
    schema,
    entities: [HandledRequestEntity],
    migrations: adapterStateMigrations(schema),
    poolSize: options.poolSize,
    applicationName: schema,
  });
}

/** Applies the adapter state migrations; returns the names of those applied now. */
export async function migrateAdapterState(options: AdapterStateOptions): Promise<string[]> {
  assertProvider(options.provider);
  const dataSource = createAdapterStateDataSource({ ...options, poolSize: 2 });
  try {
    return await migrateServiceDatabase(dataSource, options.stateSchema ?? defaultStateSchema(options.provider));
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

export async function startAdapter(options: AdapterOptions): Promise<RunningAdapter> {
  assertProvider(options.provider);
  const keys = adapterKeysOf(options);
  const provider = options.provider;
  const topic = queryRequestedTopic(provider);
  const logger = new Logger(`Adapter ${provider}`);
  const transportAttempts = options.messaging.consumer?.retryAttempts ?? DEFAULT_TRANSPORT_ATTEMPTS;
  const maxDeliveries = Math.max(1, Math.min(options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES, transportAttempts));

  const stateSchema = options.stateSchema ?? defaultStateSchema(provider);
  const stateDb = createAdapterStateDataSource({ ...options, stateSchema, poolSize: options.poolSize ?? 3 });
  // The department's data gets its own pool: a request's row lock is held in the state pool while the
  // lookup runs, so sharing one pool could starve the lookups.
  const departmentDb = new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: options.poolSize ?? 3, application_name: `${stateSchema}_data` },
  });

  let app: INestMicroservice | undefined;
  try {
    await stateDb.initialize();
    await departmentDb.initialize();
    const requests = new HandledRequestRepository(stateDb);
    const dataSource = await options.dataSource(departmentDb);

    await ensureTopics(options.messaging, [
      ...[topic, Topics.queryAnswered, Topics.queryFailed].flatMap(bothLanes),
      ...AUDIT_EVENT_TOPICS,
      Topics.deadLetter,
    ]);

    const module: DynamicModule = {
      module: AdapterModule,
      imports: [MessagingModule.forRoot(options.messaging)],
      controllers: [createQueryRequestedController(topic)],
      providers: [
        {
          provide: AdapterAuditTrail,
          inject: [MessagePublisher],
          useFactory: (publisher: MessagePublisher) => new AdapterAuditTrail(provider, publisher, options.identityHashKey),
        },
        {
          provide: AnswerQueryUseCase,
          inject: [MessagePublisher, AdapterAuditTrail],
          useFactory: (publisher: MessagePublisher, audit: AdapterAuditTrail) =>
            new AnswerQueryUseCase({
              provider,
              dataSource,
              requests,
              publisher,
              queryTokens: new QueryTokenVerifier(keys.queryVerifyKey, options.identityHashKey),
              answerSigningKey: keys.answerSigningKey,
              verifiers: options.verifiers ?? [],
              maxDeliveries,
              clock: options.clock ?? (() => new Date()),
              audit,
            }),
        },
      ],
    };
    app = await NestFactory.createMicroservice<MicroserviceOptions>(module, { strategy: createMessageServer(options.messaging) });
    await app.listen();
    const microservice = app;
    logger.log(`answering ${topic} (state schema ${stateSchema}, up to ${maxDeliveries} lookup attempts)`);

    let closed = false;
    return {
      provider,
      topic,
      stats: () => requests.stats(provider),
      async close() {
        if (closed) return;
        closed = true;
        await microservice.close();
        await destroy(departmentDb, stateDb);
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await destroy(departmentDb, stateDb);
    throw err;
  }
}

/** The adapter's keys, parsed before anything starts; a bad one stops the start naming the option. */
function adapterKeysOf(options: AdapterOptions) {
  const parse = <T>(name: string, parseKey: () => T): T => {
    try {
      return parseKey();
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  };
  if (Buffer.byteLength(options.identityHashKey ?? '', 'utf8') < MIN_IDENTITY_HASH_KEY_BYTES) {
    throw new Error(`identityHashKey (VERIHUB_IDENTITY_HASH_KEY) must be at least ${MIN_IDENTITY_HASH_KEY_BYTES} characters`);
  }
  return {
    queryVerifyKey: parse('queryVerifyKey (VERIHUB_QUERY_VERIFY_KEY)', () => parsePublicKey(options.queryVerifyKey)),
    answerSigningKey: parse('answerSigningKey (VERIHUB_ANSWER_SIGNING_KEY)', () => parsePrivateKey(options.answerSigningKey)),
  };
}

/** Any well-formed provider id: a new department joins with its own id ("social-security"), no registry edit. */
function assertProvider(provider: string): void {
  if (!/^[a-z][a-z0-9-]{1,40}(:[A-Z0-9]{2,16})?$/.test(provider)) {
    throw new Error(`provider "${provider}" is not a provider id ("tax", "public-security", "bank:ICBC", ...)`);
  }
}

async function destroy(...dataSources: DataSource[]): Promise<void> {
  for (const ds of dataSources) if (ds.isInitialized) await ds.destroy();
}
