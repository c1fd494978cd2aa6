/**
 * The only SQL of the adapter state: deliveries are counted in their own statement (so a failed attempt
 * still counts), and a request is worked on under a row lock (so two deliveries of one request never
 * both reach the data source). A batch of requests is counted, locked and marked with one statement each.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryRequested } from '@verihub/contracts';
import type { AdapterStats } from './adapter-options';
import { HandledRequestEntity, type HandledRequestOutcome } from './handled-request.entity';

export interface DeliveryState {
  deliveries: number;
  outcome: HandledRequestOutcome;
}

/** How a request ended, as written for a batch by markOutcomes. */
export interface OutcomeUpdate {
  requestId: string;
  outcome: Exclude<HandledRequestOutcome, 'pending'>;
  answeredAt: Date;
  recordCount: number | null;
}

export class HandledRequestRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get table(): string {
    return this.dataSource.getMetadata(HandledRequestEntity).tablePath;
  }

  /** Inserts the request on its first delivery, increments `deliveries` on the next ones. */
  async recordDelivery(request: QueryRequested, receivedAt: Date): Promise<DeliveryState> {
    const rows: Array<{ deliveries: number; outcome: HandledRequestOutcome }> = await this.dataSource.query(
      `INSERT INTO ${this.table} AS h (request_id, verification_id, provider, first_received_at, deliveries, outcome)
       VALUES ($1, $2, $3, $4, 1, 'pending')
       ON CONFLICT (request_id) DO UPDATE SET deliveries = h.deliveries + 1
       RETURNING h.deliveries, h.outcome`,
      [request.requestId, request.verificationId, request.provider, receivedAt],
    );
    return rows[0];
  }

  /**
   * Runs `work` in a transaction holding the request's row lock, with the state as committed by whoever
   * held the lock before. Whatever `work` marks commits with it; if it throws, nothing it did is kept.
   */
  async withRequestLocked<T>(requestId: string, work: (state: DeliveryState, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ deliveries: number; outcome: HandledRequestOutcome }> = await manager.query(
        `SELECT deliveries, outcome FROM ${this.table} WHERE request_id = $1 FOR UPDATE`,
        [requestId],
      );
      if (rows.length === 0) throw new Error(`request ${requestId} was not recorded before being worked on`);
      return work(rows[0], manager);
    });
  }

  /**
   * Runs `work` in one transaction that first counts a delivery of each of `requests` (a request id may
   * repeat: each occurrence counts) and row-locks them, in request-id order so that two batches never
   * deadlock. `work` gets each request id's state after the count, with the outcome as committed by
   * whoever held its lock before. The counts commit with `work`: if it throws, they are undone, because
   * the transport then hands the requests over one at a time and execute counts them there.
   */
  async withDeliveriesLocked<T>(
    requests: readonly QueryRequested[],
    receivedAt: Date,
    work: (states: Map<string, DeliveryState>, manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    // ON CONFLICT cannot touch a row twice in one statement: one row per request id, with its count.
    const byId = new Map<string, { request: QueryRequested; count: number }>();
    for (const request of requests) {
      const seen = byId.get(request.requestId);
      if (seen) seen.count += 1;
      else byId.set(request.requestId, { request, count: 1 });
    }
    const rows = [...byId.values()];
    return this.dataSource.transaction(async (manager) => {
      const states: Array<{ request_id: string; deliveries: number; outcome: HandledRequestOutcome }> = await manager.query(
        `INSERT INTO ${this.table} AS h (request_id, verification_id, provider, first_received_at, deliveries, outcome)
         SELECT r.request_id, r.verification_id, r.provider, $5, r.deliveries, 'pending'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS r(request_id, verification_id, provider, deliveries)
         ORDER BY r.request_id
         ON CONFLICT (request_id) DO UPDATE SET deliveries = h.deliveries + excluded.deliveries
         RETURNING h.request_id, h.deliveries, h.outcome`,
        [
          rows.map((r) => r.request.requestId),
          rows.map((r) => r.request.verificationId),
          rows.map((r) => r.request.provider),
          rows.map((r) => r.count),
          receivedAt,
        ],
      );
      return work(new Map(states.map((s) => [s.request_id, { deliveries: s.deliveries, outcome: s.outcome }])), manager);
    });
  }

  /** Marks many requests in one statement (rows locked by withDeliveriesLocked). */
  async markOutcomes(manager: EntityManager, updates: readonly OutcomeUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE ${this.table} AS h SET outcome = u.outcome, answered_at = u.answered_at, record_count = u.record_count
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS u(request_id, outcome, answered_at, record_count)
       WHERE h.request_id = u.request_id`,
      [updates.map((u) => u.requestId), updates.map((u) => u.outcome), updates.map((u) => u.answeredAt), updates.map((u) => u.recordCount)],
    );
  }

  async markOutcome(
    manager: EntityManager,
    requestId: string,
    outcome: Exclude<HandledRequestOutcome, 'pending'>,
    answeredAt: Date,
    recordCount: number | null,
  ): Promise<void> {
    await manager.query(`UPDATE ${this.table} SET outcome = $2, answered_at = $3, record_count = $4 WHERE request_id = $1`, [
      requestId,
      outcome,
      answeredAt,
      recordCount,
    ]);
  }

  async stats(provider: string): Promise<AdapterStats> {
    const rows: Array<{ handled: string; answered: string; pending: string; deliveries: string | null; last_answered_at: Date | null }> =
      await this.dataSource.query(
        `SELECT count(*) AS handled,
                count(*) FILTER (WHERE outcome = 'answered') AS answered,
                count(*) FILTER (WHERE outcome = 'pending') AS pending,
                sum(deliveries) AS deliveries,
                max(answered_at) FILTER (WHERE outcome = 'answered') AS last_answered_at
         FROM ${this.table} WHERE provider = $1`,
        [provider],
      );
    const row = rows[0];
    const handled = Number(row.handled);
    const answered = Number(row.answered);
    const pending = Number(row.pending);
    return {
      provider,
      handled,
      answered,
      failed: handled - answered - pending,
      pending,
      duplicateDeliveries: Number(row.deliveries ?? 0) - handled,
      lastAnsweredAt: row.last_answered_at ? new Date(row.last_answered_at).toISOString() : null,
    };
  }
}
