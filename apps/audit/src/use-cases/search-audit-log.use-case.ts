import { Inject, Injectable } from '@nestjs/common';
import type { ChainedAuditEntry } from '@verihub/domain';
import { AUDIT_SETTINGS, type AuditSettings } from '../audit-options';
import type { Auditor } from '../auth/auditor';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { type AuditSearchCriteria, auditFilterOf, auditorActRecord } from './audit-search';

export interface AuditLogPage {
  items: ChainedAuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

/** One page of the log, newest first; the search is recorded (audit_searched) before its results are returned. */
@Injectable()
export class SearchAuditLogUseCase {
  constructor(
    private readonly log: AuditLogRepository,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  async execute(auditor: Auditor, criteria: AuditSearchCriteria, page: number, pageSize: number): Promise<AuditLogPage> {
    const { filter, subject } = auditFilterOf(criteria, this.settings.identityHashKey);
    const found = await this.log.search(filter, page, pageSize);
    await this.log.append(auditorActRecord(auditor, 'audit_searched', criteria, subject, found.total, new Date()));
    return { ...found, page, pageSize };
  }
}
