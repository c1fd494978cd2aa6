/** The messages the aggregator publishes (through its outbox), from its own state. */
import { QueryRequested, SourceStatus, VerificationStatus, VerificationUpdated, queryRequestedTopic, Topics, onLane } from '@verihub/contracts';
import { departmentOf, type Authorization, type HouseholdMember, type Lookback } from '@verihub/domain';
import { encodeMessage, type OutgoingMessage } from '@verihub/messaging';
import type { ProviderRequestStatus, VerificationState } from '../rules/verification-rules';
import { shanghaiIso } from '../rules/verification-rules';

export interface QueryRequestInput {
  requestId: string;
  verificationId: string;
  provider: string;
  members: HouseholdMember[];
  authorizations: Authorization[];
  incomePeriod: Lookback;
  /** "YYYY-MM-DD" */
  assetsAsOf: string;
  deadline: Date;
  program: string;
  purpose: string;
  regionCode: string;
  interactive: boolean;
  /** The aggregator's signed query token for this provider and request (libs/domain consent). */
  queryToken: string;
}

/** One provider's request, on that provider's own topic, keyed by verification id. */
export function queryRequestedMessage(input: QueryRequestInput): OutgoingMessage {
  const message = QueryRequested.fromPartial({
    requestId: input.requestId,
    verificationId: input.verificationId,
    provider: input.provider,
    members: input.members.map((m) => ({ idNumber: m.idNumber, name: m.name })),
    incomePeriod: { from: input.incomePeriod.from, to: input.incomePeriod.to },
    assetsAsOf: input.assetsAsOf,
    authorizations: input.authorizations.map((a) => ({
      idNumber: a.idNumber,
      documentRef: a.documentRef,
      signedBy: a.signedBy,
      signedAt: a.signedAt,
      expiresAt: a.expiresAt,
    })),
    deadline: shanghaiIso(input.deadline),
    program: input.program,
    purpose: input.purpose,
    regionCode: input.regionCode,
    interactive: input.interactive,
    queryToken: input.queryToken,
  });
  return { topic: onLane(queryRequestedTopic(input.provider), input.interactive), key: input.verificationId, value: encodeMessage(QueryRequested, message) };
}

export interface SourceSnapshot {
  provider: string;
  status: ProviderRequestStatus;
  recordCount: number;
  respondedAt: Date | null;
  reason: string | null;
  late: boolean;
}

export interface VerificationSnapshot {
  verificationId: string;
  status: VerificationState;
  sources: SourceSnapshot[];
  /** The newest issued version (0: none yet) and, with it, its document and why it exists. */
  reportVersion: number;
  reportJson: string;
  changeReason: string;
  updatedAt: Date;
  /** Which lane the gateway hears about it on (batch checks: the batch lane). */
  interactive: boolean;
}

/**
 * The verification's whole state for the gateway: status, the current round's sources and the newest
 * report. Every VerificationUpdated is such a snapshot, so the newest one per key is all a reader needs.
 */
export function verificationUpdatedMessage(snapshot: VerificationSnapshot): OutgoingMessage {
  const message = VerificationUpdated.fromPartial({
    verificationId: snapshot.verificationId,
    status: VERIFICATION_STATUS[snapshot.status],
    sources: snapshot.sources.map((s) => ({
      department: departmentOf(s.provider),
      provider: s.provider,
      status: SOURCE_STATUS[s.status],
      records: s.recordCount,
      respondedAt: s.respondedAt ? shanghaiIso(s.respondedAt) : '',
      reason: s.reason ?? '',
      late: s.late,
    })),
    reportVersion: snapshot.reportVersion,
    reportJson: snapshot.reportJson,
    updatedAt: shanghaiIso(snapshot.updatedAt),
    changeReason: snapshot.changeReason,
  });
  return {
    topic: onLane(Topics.verificationUpdated, snapshot.interactive),
    key: snapshot.verificationId,
    value: encodeMessage(VerificationUpdated, message),
  };
}

const VERIFICATION_STATUS: Record<VerificationState, VerificationStatus> = {
  pending: VerificationStatus.VERIFICATION_STATUS_PENDING,
  complete: VerificationStatus.VERIFICATION_STATUS_COMPLETE,
  partial: VerificationStatus.VERIFICATION_STATUS_PARTIAL,
};

const SOURCE_STATUS: Record<ProviderRequestStatus, SourceStatus> = {
  pending: SourceStatus.SOURCE_STATUS_PENDING,
  answered: SourceStatus.SOURCE_STATUS_ANSWERED,
  no_record: SourceStatus.SOURCE_STATUS_NO_RECORD,
  timeout: SourceStatus.SOURCE_STATUS_TIMEOUT,
  error: SourceStatus.SOURCE_STATUS_ERROR,
  not_queried: SourceStatus.SOURCE_STATUS_NOT_QUERIED,
};
