import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuditEventBatch, AuditEventRecorded, Topics } from '@verihub/contracts';
import { BatchEventPattern, type IncomingMessage, MalformedMessageError, decodeMessage } from '@verihub/messaging';
import { type AuditRecord, auditEventProblems, auditRecordOf } from '../messages/audit-event';
import { RecordAuditEventUseCase } from '../use-cases/record-audit-event.use-case';

/** Messages whose events are appended in one transaction under one chain lock. */
const MESSAGES_PER_APPEND = 500;
/** Packed messages carry up to 200 events each (AUDIT_EVENTS_PER_MESSAGE): fewer of them per append. */
const PACKED_MESSAGES_PER_APPEND = 10;

/**
 * Every service reports its auditable acts here, one event a message or many (AuditEventBatch), and they
 * are appended many at a time. A message with an event that does not decode, is incomplete or seems to
 * carry a raw identity number goes to the dead-letter topic with the reasons (never the values) and none of
 * its events is recorded: it fails its batch, which the transport then hands over one message at a time, so
 * only that message is dead-lettered. A database failure is retried by the transport.
 */
@Controller()
export class AuditEventRecordedHandler {
  constructor(private readonly recordEvents: RecordAuditEventUseCase) {}

  @BatchEventPattern(Topics.auditEventRecorded, { maxBatchSize: MESSAGES_PER_APPEND })
  async handle(@Payload() messages: IncomingMessage[]): Promise<void> {
    await this.recordEvents.execute(messages.map((message) => recordOf(decodeMessage(message, AuditEventRecorded))));
  }

  @BatchEventPattern(Topics.auditEventsRecorded, { maxBatchSize: PACKED_MESSAGES_PER_APPEND })
  async handlePacked(@Payload() messages: IncomingMessage[]): Promise<void> {
    await this.recordEvents.execute(messages.flatMap((message) => recordsOf(decodeMessage(message, AuditEventBatch).events)));
  }
}

function recordOf(event: AuditEventRecorded): AuditRecord {
  const problems = auditEventProblems(event);
  if (problems.length > 0) throw new MalformedMessageError(`invalid_audit_event: ${problems.join('; ')}`);
  return auditRecordOf(event);
}

/** All the events of one message, or none: every failing event is named by its index. */
function recordsOf(events: AuditEventRecorded[]): AuditRecord[] {
  if (events.length === 0) throw new MalformedMessageError('invalid_audit_event: events must not be empty');
  const problems = events.flatMap((event, i) => auditEventProblems(event).map((problem) => `events[${i}]: ${problem}`));
  if (problems.length > 0) throw new MalformedMessageError(`invalid_audit_event: ${problems.join('; ')}`);
  return events.map(auditRecordOf);
}
