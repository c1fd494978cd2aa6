import { SourceStatus as SourceStatusMessage, VerificationStatus as VerificationStatusMessage, type VerificationUpdated } from '@verihub/contracts';
import { isZonedDateTime } from '@verihub/domain';
import type { SourceStatus, SourceView, VerificationStatus } from '../database/verification.entity';

/** A VerificationUpdated message, checked and in the read model's terms. */
export interface VerificationUpdate {
  verificationId: string;
  status: VerificationStatus;
  sources: SourceView[];
  reportVersion: number;
  /** Present exactly when reportVersion > 0. */
  report?: Record<string, unknown>;
  changeReason: string;
  /** The aggregator's time of this state; undefined when it sent none. */
  updatedAt?: Date;
}

/** Why a message can never be applied (it goes to the dead-letter topic with this reason). */
export class InvalidVerificationUpdate extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUSES: Partial<Record<VerificationStatusMessage, VerificationStatus>> = {
  [VerificationStatusMessage.VERIFICATION_STATUS_PENDING]: 'pending',
  [VerificationStatusMessage.VERIFICATION_STATUS_COMPLETE]: 'complete',
  [VerificationStatusMessage.VERIFICATION_STATUS_PARTIAL]: 'partial',
};

const SOURCE_STATUSES: Partial<Record<SourceStatusMessage, SourceStatus>> = {
  [SourceStatusMessage.SOURCE_STATUS_PENDING]: 'pending',
  [SourceStatusMessage.SOURCE_STATUS_ANSWERED]: 'answered',
  [SourceStatusMessage.SOURCE_STATUS_NO_RECORD]: 'no_record',
  [SourceStatusMessage.SOURCE_STATUS_TIMEOUT]: 'timeout',
  [SourceStatusMessage.SOURCE_STATUS_ERROR]: 'error',
  [SourceStatusMessage.SOURCE_STATUS_NOT_QUERIED]: 'not_queried',
};

export function toVerificationUpdate(message: VerificationUpdated): VerificationUpdate {
  if (!UUID.test(message.verificationId)) throw new InvalidVerificationUpdate(`verification_id "${message.verificationId}" is not a uuid`);
  const status = STATUSES[message.status];
  if (!status) throw new InvalidVerificationUpdate(`status ${String(message.status)} is not a verification status`);
  if (!Number.isInteger(message.reportVersion) || message.reportVersion < 0) {
    throw new InvalidVerificationUpdate(`report_version ${message.reportVersion} is negative`);
  }
  const sources = message.sources.map((s, i): SourceView => {
    const sourceStatus = SOURCE_STATUSES[s.status];
    if (!sourceStatus) throw new InvalidVerificationUpdate(`sources[${i}].status ${String(s.status)} is not a source status`);
    if (s.respondedAt && !isZonedDateTime(s.respondedAt)) {
      throw new InvalidVerificationUpdate(`sources[${i}].responded_at "${s.respondedAt}" is not a date-time with offset`);
    }
    return {
      department: s.department,
      provider: s.provider,
      status: sourceStatus,
      records: s.records,
      respondedAt: s.respondedAt || null,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.late ? { late: true } : {}),
    };
  });
  let report: Record<string, unknown> | undefined;
  if (message.reportVersion > 0) {
    report = parseReport(message.reportJson);
  }
  let updatedAt: Date | undefined;
  if (message.updatedAt) {
    if (!isZonedDateTime(message.updatedAt)) throw new InvalidVerificationUpdate(`updated_at "${message.updatedAt}" is not a date-time with offset`);
    updatedAt = new Date(message.updatedAt);
  }
  return {
    verificationId: message.verificationId.toLowerCase(),
    status,
    sources,
    reportVersion: message.reportVersion,
    report,
    changeReason: message.changeReason || (message.reportVersion === 1 ? 'first issue' : 'new version'),
    updatedAt,
  };
}

function parseReport(json: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InvalidVerificationUpdate('report_json is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidVerificationUpdate('report_json is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
