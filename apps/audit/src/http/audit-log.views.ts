import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANOMALY_RULES, AUDIT_ACTIONS, type AnomalyFlag, type AuditEntry, type ChainedAuditEntry, type ChainVerification } from '@verihub/domain';
import type { AnomalyReport } from '../use-cases/detect-anomalies.use-case';
import type { AuditLogPage } from '../use-cases/search-audit-log.use-case';

export class AuditActorView {
  @ApiProperty({ example: 'officer' }) username!: string;
  @ApiProperty({ example: 'officer' }) role!: string;
  @ApiProperty({ nullable: true, type: String, example: '500115' }) regionCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) organisation!: string | null;
}

export class AuditCaseView {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) verificationId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'dibao' }) program!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'application' }) purpose!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '500115' }) regionCode!: string | null;
  @ApiProperty({ type: [String], example: ['AUTH-2026-000123'] }) authorizationRefs!: string[];
}

export class AuditOutcomeView {
  @ApiProperty({ nullable: true, type: String, example: 'answered' }) status!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 3 }) recordCount!: number | null;
}

/** One entry as an auditor sees it: people by masked identity number only. */
export class AuditEntryView {
  @ApiProperty({ example: 42 }) sequence!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: '2026-11-02T02:00:00.000Z' }) occurredAt!: string;
  @ApiProperty({ example: '2026-11-02T02:00:00.120Z' }) recordedAt!: string;
  @ApiProperty({ example: 'gateway' }) sourceService!: string;
  @ApiProperty({ type: AuditActorView }) actor!: AuditActorView;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: string;
  @ApiProperty({ type: AuditCaseView }) case!: AuditCaseView;
  @ApiProperty({ type: [String], example: ['110105********002X'], description: 'masked identity numbers' }) subjects!: string[];
  @ApiProperty({ nullable: true, type: String, example: 'tax' }) provider!: string | null;
  @ApiProperty({ type: [String], example: ['income'] }) dataCategories!: string[];
  @ApiProperty({ type: AuditOutcomeView }) outcome!: AuditOutcomeView;
  @ApiProperty({ nullable: true, type: Number, example: 180 }) latencyMs!: number | null;
  @ApiProperty({ description: 'the entry’s hash in the chain (SHA-256 hex)' }) entryHash!: string;
}

export class AuditEntryPageView {
  @ApiProperty({ type: [AuditEntryView] }) items!: AuditEntryView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class AnomalyWindowView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
}

export class AnomalyActorView {
  @ApiProperty() username!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ nullable: true, type: String }) regionCode!: string | null;
}

export class AnomalyFlagView {
  @ApiProperty({ enum: ANOMALY_RULES }) rule!: string;
  @ApiProperty({ description: 'what the rule looks for' }) description!: string;
  @ApiProperty({ type: AnomalyWindowView, description: 'first and last occurrence of the entries behind the flag' }) window!: AnomalyWindowView;
  @ApiProperty({ type: AnomalyActorView }) actor!: AnomalyActorView;
  @ApiProperty() count!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty({ type: [Number] }) entrySequences!: number[];
  @ApiPropertyOptional({ description: 'repeated_person: the person, masked' }) subjectMasked?: string;
  @ApiPropertyOptional({ description: 'repeated_report_export: the verification' }) verificationId?: string;
}

export class AnomalyReportView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'the thresholds in force (configuration)', type: 'object', additionalProperties: true })
  thresholds!: Record<string, unknown>;
  @ApiProperty({ type: [AnomalyFlagView] }) flags!: AnomalyFlagView[];
}

export class ChainVerificationView {
  @ApiProperty({ description: 'true when every entry matches its hash and points at the one before' }) ok!: boolean;
  @ApiProperty({ description: 'entries checked (before the break, when broken)' }) count!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) lastSequence?: number | null;
  @ApiPropertyOptional({ description: 'hash of the last entry: keep it outside the database to detect a cut-off tail' }) headHash?: string;
  @ApiPropertyOptional({ description: 'the first broken entry' }) firstBrokenSequence?: number;
  @ApiPropertyOptional({ enum: ['entry_hash_mismatch', 'previous_hash_mismatch', 'entry_missing', 'sequence_out_of_order'] }) reason?: string;
  @ApiPropertyOptional() detail?: string;
}

export const RULE_DESCRIPTIONS: Record<AnomalyFlag['rule'], string> = {
  query_without_case: 'a query or read about a verification that was never created, or about none',
  repeated_person: 'one officer creating several verifications about the same person within the window',
  outside_region: 'an officer or reviewer working on cases outside their region',
  burst: 'many accesses by one user within minutes',
  after_hours: 'accesses outside working hours (Asia/Shanghai) or on a weekend',
  repeated_report_export: 'the same report exported (printed) many times by one user',
};

export function entryView(e: ChainedAuditEntry | AuditEntry & { entryHash: string }): AuditEntryView {
  return {
    sequence: e.sequence,
    eventId: e.eventId,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    sourceService: e.sourceService,
    actor: { username: e.actorUsername, role: e.actorRole, regionCode: e.actorRegion, organisation: e.actorOrganisation },
    action: e.action,
    case: { verificationId: e.verificationId, program: e.program, purpose: e.purpose, regionCode: e.caseRegion, authorizationRefs: e.authorizationRefs },
    subjects: e.subjectsMasked,
    provider: e.provider,
    dataCategories: e.dataCategories,
    outcome: { status: e.outcomeStatus, recordCount: e.recordCount },
    latencyMs: e.latencyMs,
    entryHash: e.entryHash,
  };
}

export function pageView(page: AuditLogPage): AuditEntryPageView {
  return { items: page.items.map(entryView), total: page.total, page: page.page, pageSize: page.pageSize };
}

export function anomalyReportView(report: AnomalyReport): AnomalyReportView {
  return {
    from: report.from,
    to: report.to,
    thresholds: { ...report.thresholds },
    flags: report.flags.map((f) => ({ ...f, description: RULE_DESCRIPTIONS[f.rule] })),
  };
}

export function chainView(result: ChainVerification): ChainVerificationView {
  return { ...result };
}
