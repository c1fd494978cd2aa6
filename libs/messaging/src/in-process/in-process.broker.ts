import { Logger } from '@nestjs/common';
import type { IncomingMessage, OutgoingMessage } from '../message';
import { keyWaves } from '../key-waves';
import { sleep } from '../waits';

/**
 * A Kafka-like broker inside one process, for the single-process hub and fast tests.
 *
 * - A topic is an append-only log with offsets (one partition, 0).
 * - Each consumer group sees every message of a topic once; within a group, a topic's messages are handled
 *   in log order per key: up to the subscribers' concurrency at once, never two of one key (keyWaves).
 *   Several subscribers of one group share the work (one message goes to one).
 * - Delivery is asynchronous: publish() only appends and schedules.
 * - A group that subscribes starts from the beginning of what the log still holds, so messages published
 *   before it joined are delivered. The log drops what every group known to the topic has consumed, keeping
 *   the last RETAINED_CONSUMED of those for groups that join later.
 * - A subscriber returns false for a message it did not finish (it is closing): the group's position does not
 *   move, and the message goes to the group's next subscriber, now or when one subscribes.
 */
export type InProcessConsumer = (message: IncomingMessage) => Promise<boolean>;

/**
 * A subscriber's batch handling: topics for which sizeOf gives a size are handed over as consecutive
 * log-ordered slices of at most that many messages, all to one subscriber call (keys may repeat).
 */
export interface InProcessBatchConsumer {
  sizeOf(topic: string): number | undefined;
  consume(messages: IncomingMessage[]): Promise<boolean>;
}

export interface InProcessSubscription {
  /** Stops new deliveries to this subscriber (it must settle its own message in progress). */
  close(): void;
}

interface StoredMessage {
  offset: number;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

interface TopicLog {
  /** Offset of entries[0]. */
  firstOffset: number;
  entries: StoredMessage[];
}

interface Subscriber {
  consume: InProcessConsumer;
  batch?: InProcessBatchConsumer;
  active: boolean;
  /** Messages of different keys it handles at once. */
  concurrency: number;
}

interface GroupCursor {
  group: string;
  topic: string;
  /** Next offset this group handles: everything before it is consumed ("committed"). */
  nextOffset: number;
  subscribers: Subscriber[];
  turn: number;
  pumping: boolean;
  detached: boolean;
}

const RETAINED_CONSUMED = 1000;
const TRIM_BATCH = 256;

export class InProcessBroker {
  private readonly logger = new Logger('InProcessBroker');
  private readonly topics = new Map<string, TopicLog>();
  /** topic → group → cursor */
  private readonly cursors = new Map<string, Map<string, GroupCursor>>();

  /** Appends the messages to their topics' logs; handlers run later, never inside this call. */
  publish(messages: readonly OutgoingMessage[]): void {
    const touched = new Set<string>();
    for (const m of messages) {
      const log = this.logOf(m.topic);
      log.entries.push({
        offset: log.firstOffset + log.entries.length,
        key: m.key,
        // A copy, as Kafka would hold: the publisher may reuse its buffer.
        value: Buffer.from(m.value),
        headers: { ...(m.headers ?? {}) },
      });
      touched.add(m.topic);
    }
    for (const topic of touched) {
      for (const cursor of this.cursors.get(topic)?.values() ?? []) this.schedule(cursor);
    }
  }

  /** Subscribes `consume` for `group` to `topics`; the group starts where it left off, or at the log's start. */
  subscribe(
    group: string,
    topics: readonly string[],
    consume: InProcessConsumer,
    concurrency = 1,
    batch?: InProcessBatchConsumer,
  ): InProcessSubscription {
    const subscriber: Subscriber = { consume, batch, active: true, concurrency: Math.max(1, Math.floor(concurrency)) };
    const cursors = topics.map((topic) => this.cursorOf(group, topic));
    for (const cursor of cursors) {
      cursor.subscribers.push(subscriber);
      this.schedule(cursor);
    }
    return {
      close: () => {
        subscriber.active = false;
        for (const cursor of cursors) {
          cursor.subscribers = cursor.subscribers.filter((s) => s !== subscriber);
        }
      },
    };
  }

  /** The messages a topic's log still holds, oldest first (the dead-letter topic is never trimmed unless consumed). */
  read(topic: string): IncomingMessage[] {
    const log = this.topics.get(topic);
    return log ? log.entries.map((entry) => toIncoming(topic, entry)) : [];
  }

  /** Forgets every topic, group and subscriber (tests). Deliveries in progress finish; nothing new is delivered. */
  reset(): void {
    for (const groups of this.cursors.values()) {
      for (const cursor of groups.values()) {
        cursor.detached = true;
        cursor.subscribers = [];
      }
    }
    this.cursors.clear();
    this.topics.clear();
  }

  private logOf(topic: string): TopicLog {
    let log = this.topics.get(topic);
    if (!log) {
      log = { firstOffset: 0, entries: [] };
      this.topics.set(topic, log);
    }
    return log;
  }

  private cursorOf(group: string, topic: string): GroupCursor {
    let groups = this.cursors.get(topic);
    if (!groups) {
      groups = new Map();
      this.cursors.set(topic, groups);
    }
    let cursor = groups.get(group);
    if (!cursor) {
      cursor = {
        group,
        topic,
        nextOffset: this.logOf(topic).firstOffset,
        subscribers: [],
        turn: 0,
        pumping: false,
        detached: false,
      };
      groups.set(group, cursor);
    }
    return cursor;
  }

  private pending(cursor: GroupCursor): StoredMessage | undefined {
    const log = this.topics.get(cursor.topic);
    if (!log) return undefined;
    return log.entries[cursor.nextOffset - log.firstOffset];
  }

  /** The next messages to hand out at once: from the cursor on, distinct keys, at most `limit`. */
  private nextWave(cursor: GroupCursor, limit: number): StoredMessage[] {
    const log = this.topics.get(cursor.topic);
    if (!log) return [];
    const start = cursor.nextOffset - log.firstOffset;
    return keyWaves(log.entries.slice(start, start + limit), limit, (e) => e.key)[0] ?? [];
  }

  private schedule(cursor: GroupCursor): void {
    if (cursor.pumping || cursor.detached || cursor.subscribers.length === 0 || !this.pending(cursor)) return;
    cursor.pumping = true;
    setImmediate(() => void this.pump(cursor));
  }

  private async pump(cursor: GroupCursor): Promise<void> {
    try {
      for (;;) {
        if (cursor.detached || cursor.subscribers.length === 0) return;
        const batchSize = cursor.subscribers[0].batch?.sizeOf(cursor.topic);
        if (batchSize) {
          if (!(await this.handOverSlice(cursor, batchSize))) return;
          continue;
        }
        const limit = Math.max(...cursor.subscribers.map((s) => s.concurrency));
        const wave = this.nextWave(cursor, limit);
        if (wave.length === 0) return;
        const handed = wave.map((entry) => ({ entry, subscriber: cursor.subscribers[cursor.turn++ % cursor.subscribers.length] }));
        const done = await Promise.all(handed.map(({ entry, subscriber }) => this.handOver(cursor, entry, subscriber)));
        if (cursor.detached) return;
        const unfinished = done.indexOf(false);
        if (unfinished >= 0) {
          // A subscriber is closing (or failed): the group resumes at that message (the later ones of the
          // wave may be delivered again: at least once, as with Kafka), to the group's next subscriber.
          cursor.nextOffset = wave[unfinished].offset;
          if (handed[unfinished].subscriber.active) await sleep(1000);
          continue;
        }
        cursor.nextOffset = wave[wave.length - 1].offset + 1;
        this.trim(cursor.topic);
      }
    } finally {
      cursor.pumping = false;
      this.schedule(cursor);
    }
  }

  /** Hands the next slice of up to `size` messages to one subscriber; false when there was nothing to hand. */
  private async handOverSlice(cursor: GroupCursor, size: number): Promise<boolean> {
    const log = this.topics.get(cursor.topic);
    const start = log ? cursor.nextOffset - log.firstOffset : 0;
    const slice = log ? log.entries.slice(start, start + size) : [];
    if (slice.length === 0) return false;
    const subscriber = cursor.subscribers[cursor.turn++ % cursor.subscribers.length];
    let done: boolean;
    try {
      done = subscriber.active && !!subscriber.batch && (await subscriber.batch.consume(slice.map((e) => toIncoming(cursor.topic, e))));
    } catch (err) {
      this.logger.error(`${cursor.topic}@${slice[0].offset}: batch subscriber of ${cursor.group} failed: ${String(err)}`);
      done = false;
    }
    if (cursor.detached) return false;
    if (!done) {
      // Not finished (closing): the group resumes at the slice's first message, with the next subscriber.
      if (subscriber.active) await sleep(1000);
      return true;
    }
    cursor.nextOffset = slice[slice.length - 1].offset + 1;
    this.trim(cursor.topic);
    return true;
  }

  private async handOver(cursor: GroupCursor, entry: StoredMessage, subscriber: Subscriber): Promise<boolean> {
    try {
      return subscriber.active && (await subscriber.consume(toIncoming(cursor.topic, entry)));
    } catch (err) {
      this.logger.error(`${cursor.topic}@${entry.offset} key=${entry.key}: subscriber of ${cursor.group} failed: ${String(err)}`);
      return false;
    }
  }

  private trim(topic: string): void {
    const log = this.topics.get(topic);
    const groups = this.cursors.get(topic);
    if (!log || !groups || groups.size === 0) return;
    let consumedByAll = Infinity;
    for (const cursor of groups.values()) consumedByAll = Math.min(consumedByAll, cursor.nextOffset);
    const droppable = consumedByAll - RETAINED_CONSUMED - log.firstOffset;
    if (droppable >= TRIM_BATCH) {
      log.entries.splice(0, droppable);
      log.firstOffset += droppable;
    }
  }
}

function toIncoming(topic: string, entry: StoredMessage): IncomingMessage {
  return {
    topic,
    key: entry.key,
    value: entry.value,
    headers: { ...entry.headers },
    partition: 0,
    offset: String(entry.offset),
  };
}

/**
 * The process-wide broker: every app of the single process publishes and consumes through it. It hangs off
 * globalThis (under a registered symbol) so that even two copies of this module in one process share it.
 */
const BROKER = Symbol.for('verihub.messaging.in-process-broker');
type WithBroker = typeof globalThis & { [BROKER]?: InProcessBroker };

export function inProcessBroker(): InProcessBroker {
  const holder = globalThis as WithBroker;
  holder[BROKER] ??= new InProcessBroker();
  return holder[BROKER];
}

/** Tests: drops every topic, group and subscription of the in-process broker, and starts a fresh one. */
export function resetInProcessBroker(): void {
  const holder = globalThis as WithBroker;
  holder[BROKER]?.reset();
  holder[BROKER] = new InProcessBroker();
}
