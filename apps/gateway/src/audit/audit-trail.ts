import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { enqueueOutbox, OutboxRelay } from '@verihub/persistence';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { auditEventOf, auditMessageOf, type GatewayAuditAct } from './audit-event.message';

export const AUDIT_TRAIL_SETTINGS = 'VERIHUB_GATEWAY_AUDIT_SETTINGS';

export interface AuditTrailSettings {
  /** VERIHUB_IDENTITY_HASH_KEY as bytes (≥ 32). */
  identityHashKey: Buffer;
}

/**
 * Records the gateway's auditable acts as AuditEventRecorded messages in the gateway's outbox (the relay
 * publishes them to the audit service). An act that changes state records inside its own transaction
 * (`enqueue`); a read has none, so `recordRead` writes the event in a small transaction of its own before
 * the response goes out, and a read whose record cannot be written is refused (503): fail closed.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AuditTrail');

  constructor(
    @Inject(AUDIT_TRAIL_SETTINGS) private readonly settings: AuditTrailSettings,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  /** Inside the act's transaction; the caller nudges the relay after commit. Returns the event ids. */
  async enqueue(manager: EntityManager, ...acts: GatewayAuditAct[]): Promise<string[]> {
    const events = acts.map((act) => auditEventOf(act, this.settings.identityHashKey));
    await enqueueOutbox(manager, events.map(auditMessageOf));
    return events.map((e) => e.eventId);
  }

  /**
   * For reads (and sign-ins): writes the event in its own transaction and nudges the relay. Throws a 503
   * problem (audit-unavailable) when it cannot be written — the read must then not be answered.
   */
  async recordRead(act: GatewayAuditAct): Promise<void> {
    try {
      await this.dataSource.transaction((manager) => this.enqueue(manager, act));
    } catch (err) {
      this.logger.error(`audit record of ${act.action} by ${act.actor.username} could not be written: ${(err as Error).message}`);
      throw new GatewayException(
        GatewayExceptionCode.AUDIT_UNAVAILABLE,
        'The access could not be recorded in the audit log, so it is refused; try again shortly.',
      );
    }
    this.relay.nudge();
  }

  /** For refusals (a failed sign-in): recorded when possible; a failure to record is logged, not raised. */
  async recordBestEffort(act: GatewayAuditAct): Promise<void> {
    try {
      await this.dataSource.transaction((manager) => this.enqueue(manager, act));
      this.relay.nudge();
    } catch (err) {
      this.logger.error(`audit record of ${act.action} could not be written: ${(err as Error).message}`);
    }
  }

  /** The key of the keyed identity hashes (authorization records use the same key as the audit log). */
  get identityHashKey(): Buffer {
    return this.settings.identityHashKey;
  }

  nudge(): void {
    this.relay.nudge();
  }
}
