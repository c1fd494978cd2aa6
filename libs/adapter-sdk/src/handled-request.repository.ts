/**
 * The only SQL of the adapter state: deliveries are counted in their own statement (so a failed attempt
 * still counts), and a request is worked on under a row lock (so two deliveries of one request never
 * both reach the data source).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryRequested } from '@verihub/contracts';
import type { AdapterStats } from './adapter-options';
import { HandledRequestEntity, type HandledRequestOutcome } from './handled-request.entity';

export interface DeliveryState {
  deliveries: number;
  outcome: HandledRequestOutcome;
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
