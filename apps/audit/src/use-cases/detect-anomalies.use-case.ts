import { Inject, Injectable } from '@nestjs/common';
import { type AnomalyFlag, type AnomalyThresholds, type AuditEntry, detectAnomalies } from '@verihub/domain';
import { AUDIT_SETTINGS, type AuditSettings } from '../audit-options';
import { AuditLogRepository } from '../repositories/audit-log.repository';

export interface AnomalyReport {
  from: string;
  to: string;
  thresholds: AnomalyThresholds;
  flags: AnomalyFlag[];
}

/** The anomaly flags of the entries that occurred in [from, to], with the thresholds in force. */
@Injectable()
export class DetectAnomaliesUseCase {
  constructor(
    private readonly log: AuditLogRepository,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  async execute(from: Date, to: Date): Promise<AnomalyReport> {
    const entries: AuditEntry[] = [];
    for await (const page of this.log.stream({ from: from.toISOString(), to: to.toISOString() })) entries.push(...page);
    // A case created before the window is still a case: ask the whole log about the ones referred to.
    const referred = [...new Set(entries.map((e) => e.verificationId).filter((id): id is string => id !== null))];
    const createdVerificationIds = await this.log.createdVerifications(referred);
    const thresholds = this.settings.anomalyThresholds;
    return { from: from.toISOString(), to: to.toISOString(), thresholds, flags: detectAnomalies(entries, thresholds, { createdVerificationIds }) };
  }
}
