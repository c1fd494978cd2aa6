/**
 * Packing audit events for the wire: every household check emits dozens of audit events, and one Kafka
 * message each would make them most of the hub's traffic. An emitter passes what it is about to publish
 * through packAuditEvents: the AuditEventRecorded messages among them travel as AuditEventBatch messages on
 * Topics.auditEventsRecorded, the rest unchanged.
 */
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { AuditEventBatch, AuditEventRecorded } from './generated';
import { Topics } from './topics';

/** The shape of a message to publish (libs/messaging's OutgoingMessage, which contracts does not import). */
export interface WireMessage {
  topic: string;
  key: string;
  value: Uint8Array;
  headers?: Record<string, string>;
}

/** Events per AuditEventBatch: a message stays well under Kafka's 1 MB default (an event is ~0.5–1 kB). */
export const AUDIT_EVENTS_PER_MESSAGE = 200;

/** AuditEventBatch field 1 (events), length-delimited: tag (1 << 3) | 2. */
const EVENTS_TAG = 10;

/**
 * `messages` with their AuditEventRecorded messages (two or more) packed into AuditEventBatch messages keyed
 * `emitter`, in their order; one alone is left as it is. The events' bytes are copied, not decoded:
 * an embedded message is its encoding behind a tag and a length.
 */
export function packAuditEvents<M extends WireMessage>(messages: readonly M[], emitter: string): Array<M | WireMessage> {
  const events = messages.filter((m) => m.topic === Topics.auditEventRecorded);
  if (events.length < 2) return [...messages];
  const packed: WireMessage[] = [];
  for (let i = 0; i < events.length; i += AUDIT_EVENTS_PER_MESSAGE) {
    const writer = new BinaryWriter();
    for (const event of events.slice(i, i + AUDIT_EVENTS_PER_MESSAGE)) writer.uint32(EVENTS_TAG).bytes(event.value);
    packed.push({ topic: Topics.auditEventsRecorded, key: emitter, value: writer.finish() });
  }
  return [...messages.filter((m) => m.topic !== Topics.auditEventRecorded), ...packed];
}

/** The audit events among `messages`, single or packed, in their order (what the audit service will append). */
export function auditEventsIn(messages: ReadonlyArray<Pick<WireMessage, 'topic' | 'value'>>): AuditEventRecorded[] {
  return messages.flatMap((m) => {
    if (m.topic === Topics.auditEventRecorded) return [AuditEventRecorded.decode(m.value)];
    if (m.topic === Topics.auditEventsRecorded) return AuditEventBatch.decode(m.value).events;
    return [];
  });
}
