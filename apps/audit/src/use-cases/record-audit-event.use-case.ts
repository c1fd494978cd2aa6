import { Injectable, Logger } from '@nestjs/common';
import type { AuditRecord } from '../messages/audit-event';
import { type AppendOutcome, AuditLogRepository } from '../repositories/audit-log.repository';

/** Appends one auditable act to the chain; a redelivered event changes nothing. */
@Injectable()
export class RecordAuditEventUseCase {
  private readonly logger = new Logger('AuditLog');

  constructor(private readonly log: AuditLogRepository) {}

  async execute(record: AuditRecord): Promise<AppendOutcome> {
    const outcome = await this.log.append(record);
    // Sequence, action and source only: never subjects or case details.
    if (outcome.appended) this.logger.debug(`recorded entry ${outcome.entry.sequence} (${record.action} from ${record.sourceService})`);
    else this.logger.debug(`event already recorded as entry ${outcome.sequence} (${record.action} from ${record.sourceService})`);
    return outcome;
  }
}
