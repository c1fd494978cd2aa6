import { Inject, Injectable } from '@nestjs/common';
import type { ChainedAuditEntry } from '@verihub/domain';
import { AUDIT_SETTINGS, type AuditSettings } from '../audit-options';
import type { Auditor } from '../auth/auditor';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { type AuditSearchCriteria, auditFilterOf, auditorActRecord } from './audit-search';

export interface AuditLogExport {
  /** Entries the export holds. */
  count: number;
  /** The export's own audit_exported entry. */
  exportSequence: number;
  /** The entries, in sequence order, a page at a time. */
  pages: AsyncGenerator<ChainedAuditEntry[]>;
}

/**
 * A CSV export of the matching entries. The export is recorded (audit_exported, with its row count) before
 * any row leaves, over a snapshot of the log up to its current head, so the count is exact and an export
 * that could not be recorded never happens.
 */
@Injectable()
export class ExportAuditLogUseCase {
  constructor(
    private readonly log: AuditLogRepository,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  async execute(auditor: Auditor, criteria: AuditSearchCriteria): Promise<AuditLogExport> {
    const { filter, subject } = auditFilterOf(criteria, this.settings.identityHashKey);
    const head = await this.log.head();
    const snapshot = { ...filter, upToSequence: head?.sequence ?? 0 };
    const count = await this.log.count(snapshot);
    const recorded = await this.log.append(auditorActRecord(auditor, 'audit_exported', criteria, subject, count, new Date()));
    const exportSequence = recorded.appended ? recorded.entry.sequence : recorded.sequence;
    return { count, exportSequence, pages: this.log.stream(snapshot) };
  }
}
