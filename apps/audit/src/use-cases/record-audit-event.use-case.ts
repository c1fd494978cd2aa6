import { Injectable, Logger } from '@nestjs/common';
import type { AuditRecord } from '../messages/audit-event';
import { type AppendOutcome, AuditLogRepository } from '../repositories/audit-log.repository';

/** Appends auditable acts to the chain, in their order; a redelivered event changes nothing. */
@Injectable()
export class RecordAuditEventUseCase {
  private readonly logger = new Logger('AuditLog');

  constructor(private readonly log: AuditLogRepository) {}

  async execute(records: readonly AuditRecord[]): Promise<AppendOutcome[]> {
    const outcomes = await this.log.appendMany(records);
    // Counts and sequences only: never subjects or case details.
    const appended = outcomes.filter((o) => o.appended);
    if (appended.length > 0) {
      const first = appended[0].entry.sequence;
      this.logger.debug(`recorded ${appended.length} entr${appended.length === 1 ? 'y' : 'ies'} from ${first} (${outcomes.length - appended.length} already recorded)`);
    } else {
      this.logger.debug(`${outcomes.length} event(s) already recorded`);
    }
    return outcomes;
  }
}
