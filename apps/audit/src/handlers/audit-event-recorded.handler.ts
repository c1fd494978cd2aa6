import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuditEventRecorded, Topics } from '@verihub/contracts';
import { type IncomingMessage, MalformedMessageError, decodeMessage } from '@verihub/messaging';
import { auditEventProblems, auditRecordOf } from '../messages/audit-event';
import { RecordAuditEventUseCase } from '../use-cases/record-audit-event.use-case';

/**
 * Every service reports its auditable acts here. An event that does not decode, is incomplete or seems to
 * carry a raw identity number goes to the dead-letter topic with the reasons (never the values); a database
 * failure is retried by the transport.
 */
@Controller()
export class AuditEventRecordedHandler {
  constructor(private readonly recordEvent: RecordAuditEventUseCase) {}

  @EventPattern(Topics.auditEventRecorded)
  async handle(@Payload() message: IncomingMessage): Promise<void> {
    const event = decodeMessage(message, AuditEventRecorded);
    const problems = auditEventProblems(event);
    if (problems.length > 0) throw new MalformedMessageError(`invalid_audit_event: ${problems.join('; ')}`);
    await this.recordEvent.execute(auditRecordOf(event));
  }
}
