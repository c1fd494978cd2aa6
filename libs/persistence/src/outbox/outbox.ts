import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { MessagePublisher, OutgoingMessage } from '@verihub/messaging';
import { OutboxMessageEntity } from './outbox-message.entity';

/** Writes messages inside the caller's transaction: they exist if and only if the state change commits. */
export async function enqueueOutbox(manager: EntityManager, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await manager.insert(
    OutboxMessageEntity,
    messages.map((m) => ({ topic: m.topic, key: m.key, value: Buffer.from(m.value), headers: m.headers ?? {} })),
  );
}

export interface OutboxRelayOptions {
  /** Poll interval when nothing nudges the relay. */
  intervalMs?: number;
  batchSize?: number;
  /**
   * Delete rows once published instead of marking them published_at (default false): for an outbox whose
   * messages carry personal data, so nothing stays at rest after it has gone out.
   */
  deletePublished?: boolean;
  /**
   * Rewrites a batch of rows' messages just before they are published — e.g. packs their audit events into
   * fewer messages (libs/contracts packAuditEvents). Must keep each topic's and key's order.
   */
  pack?: (messages: OutgoingMessage[]) => OutgoingMessage[];
  /**
   * Topics published ahead of the others (in their own order): an interactive check's messages must not wait
   * behind a batch's backlog in the outbox. Order per topic and key is kept; across topics it never was.
   */
  firstTopics?: readonly string[];
}

/**
 * Publishes committed outbox rows in order, then marks them published. A crash between publishing and
 * marking republishes those rows: consumers are idempotent by request id / verification id.
 * Rows are claimed with FOR UPDATE SKIP LOCKED so several relay processes can share one outbox.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: MessagePublisher,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Call after a transaction that enqueued messages has committed, to publish without waiting a poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Publishes everything pending now; returns how many messages went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.publishBatch();
      total += sent;
      if (sent < (this.options.batchSize ?? 500)) return total;
    }
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((err: Error) => this.logger.warn(`outbox publish failed, will retry: ${err.message}`))
        .then(() => {
          this.running = undefined;
          if (this.stopped) return;
          const next = this.again ? 0 : (this.options.intervalMs ?? 250);
          this.again = false;
          this.schedule(next);
        });
    }, delay);
  }

  private async publishBatch(): Promise<number> {
    const limit = this.options.batchSize ?? 500;
    const first = this.options.firstTopics ?? [];
    return this.dataSource.transaction(async (manager) => {
      const table = manager.getRepository(OutboxMessageEntity).metadata.tablePath;
      const columns = `id, topic, message_key, value, headers`;
      // Two index-served reads rather than one sort of the whole backlog: the first topics' rows, then the rest.
      const rows: OutboxRow[] =
        first.length > 0
          ? await manager.query(
              `SELECT ${columns} FROM ${table} WHERE published_at IS NULL AND topic = ANY($2::text[]) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
              [limit, first],
            )
          : [];
      if (rows.length < limit) {
        rows.push(
          ...((await manager.query(
            `SELECT ${columns} FROM ${table} WHERE published_at IS NULL AND id <> ALL($2::bigint[]) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [limit - rows.length, rows.map((r) => r.id)],
          )) as OutboxRow[]),
        );
      }
      if (rows.length === 0) return 0;
      const messages = rows.map((r): OutgoingMessage => ({ topic: r.topic, key: r.message_key, value: r.value, headers: r.headers }));
      await this.publisher.publish(this.options.pack ? this.options.pack(messages) : messages);
      const ids = rows.map((r) => r.id);
      if (this.options.deletePublished) await manager.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [ids]);
      else await manager.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
      return rows.length;
    });
  }
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  value: Buffer;
  headers: Record<string, string>;
}
