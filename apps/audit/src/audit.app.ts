/**
 * The audit service's bootstrap contract: `migrateAudit` runs its schema's migrations (an explicit step, never
 * at boot); `startAudit` builds the auditor API plus the message server from options only (never process.env)
 * and returns a handle. `main.ts` and the single-process hub both go through here.
 */
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'net';
import { DataSource } from 'typeorm';
import { AUDIT_EVENT_TOPICS } from '@verihub/contracts';
import { MessageFailureInterceptor, createMessageServer, ensureTopics } from '@verihub/messaging';
import { migrateServiceDatabase } from '@verihub/persistence';
import { type AuditOptions, auditSettingsOf } from './audit-options';
import { AuditModule } from './audit.module';
import { AUDIT_SCHEMA, auditDatabaseOptions } from './database/audit-database';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { requestLogging } from './http/request-logging.middleware';
import { createValidationPipe } from './http/validation';
import { setupOpenApi } from './openapi/openapi';

export type { AuditOptions, AnomalyThresholdOverrides } from './audit-options';
export { DEFAULT_AUDIT_PORT, resolveAnomalyThresholds } from './audit-options';
export { AUDIT_SCHEMA, AUDIT_WRITER_ROLE, auditDatabaseOptions } from './database/audit-database';

/** Topics the audit service consumes (ensureTopics adds the dead-letter topic). */
export const AUDIT_TOPICS = [...AUDIT_EVENT_TOPICS];

export interface RunningAudit {
  /** e.g. http://localhost:3001 (the actual port when options.port was 0). */
  url: string;
  port: number;
  /** Stops consuming and serving, then closes the database pool. */
  close(): Promise<void>;
}

/** Applies the audit schema's pending migrations (an explicit step, never at boot); returns their names. */
export async function migrateAudit(options: { databaseUrl: string }): Promise<string[]> {
  const dataSource = new DataSource(auditDatabaseOptions(options.databaseUrl, 2));
  try {
    return await migrateServiceDatabase(dataSource, AUDIT_SCHEMA);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/**
 * Starts the audit service: consumes verihub.audit.event-recorded.v1 into the hash-chained log, and serves
 * the auditor API (/api/v1/audit/..., OpenAPI at /api/docs) on its own port.
 */
export async function startAudit(options: AuditOptions): Promise<RunningAudit> {
  const settings = auditSettingsOf(options);
  const app = await NestFactory.create<NestExpressApplication>(AuditModule.forRoot(options, settings), {
    abortOnError: false,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  try {
    app.disable('x-powered-by');
    app.use(requestLogging);
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    setupOpenApi(app);

    // The message handler runs without the HTTP pipes, guard and filters; its interceptor keeps the handler's
    // own error for the dead-letter reason.
    app.connectMicroservice({ strategy: createMessageServer(options.messaging) }).useGlobalInterceptors(new MessageFailureInterceptor());
    await ensureTopics(options.messaging, AUDIT_TOPICS);
    await app.init();
    await app.startAllMicroservices();
    if (options.host) await app.listen(options.port, options.host);
    else await app.listen(options.port);

    const port = (app.getHttpServer().address() as AddressInfo).port;
    const shownHost = options.host && !['0.0.0.0', '::'].includes(options.host) ? options.host : 'localhost';
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    new Logger('Audit').log(`audit API listening on ${url} (docs ${url}/api/docs)`);
    let closing: Promise<void> | undefined;
    return { url, port, close: () => (closing ??= app.close()) };
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}
