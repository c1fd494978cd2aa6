import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuditEventRecorded, Topics } from '@verihub/contracts';
import { BatchEventPattern, type IncomingMessage, MalformedMessageError, decodeMessage } from '@verihub/messaging';
import { type AuditRecord, auditEventProblems, auditRecordOf } from '../messages/audit-event';
import { RecordAuditEventUseCase } from '../use-cases/record-audit-event.use-case';

/** Events appended in one transaction under one chain lock (every service emits several per household). */
const EVENTS_PER_APPEND = 500;

/**
 * Every service reports its auditable acts here, many at a time. An event that does not decode, is
 * incomplete or seems to carry a raw identity number goes to the dead-letter topic with the reasons (never
 * the values): it fails its batch, which the transport then hands over one event at a time, so only that
 * event is dead-lettered. A database failure is retried by the transport.
 */
@Controller()
export class AuditEventRecordedHandler {
  constructor(private readonly recordEvents: RecordAuditEventUseCase) {}

  @BatchEventPattern(Topics.auditEventRecorded, { maxBatchSize: EVENTS_PER_APPEND })
  async handle(@Payload() messages: IncomingMessage[]): Promise<void> {
    await this.recordEvents.execute(messages.map(recordOf));
  }
}

function recordOf(message: IncomingMessage): AuditRecord {
  const event = decodeMessage(message, AuditEventRecorded);
  const problems = auditEventProblems(event);
  if (problems.length > 0) throw new MalformedMessageError(`invalid_audit_event: ${problems.join('; ')}`);
  return auditRecordOf(event);
}
