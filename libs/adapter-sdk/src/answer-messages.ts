/** The adapter's two answers on the wire: QueryAnswered with the records, or a typed QueryFailed. */
import type { KeyObject } from 'node:crypto';
import {
  QueryAnswered,
  QueryFailed,
  QueryFailureCode,
  type QueryRequested,
  queryAnsweredSignedBytes,
  queryFailedSignedBytes,
  toProviderRecord,
} from '@verihub/contracts';
import { type DepartmentRecord, signAnswer } from '@verihub/domain';
import type { RefusalCode } from './request-verifier';

export type FailureCode = RefusalCode | 'SOURCE_UNAVAILABLE';

const FAILURE_CODES: Record<FailureCode, QueryFailureCode> = {
  UNAUTHORIZED: QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED,
  INVALID_REQUEST: QueryFailureCode.QUERY_FAILURE_CODE_INVALID_REQUEST,
  SOURCE_UNAVAILABLE: QueryFailureCode.QUERY_FAILURE_CODE_SOURCE_UNAVAILABLE,
};

/** The distinct identity numbers a request asks about, in order. */
export function askedIdNumbers(request: QueryRequested): string[] {
  return [...new Set(request.members.map((m) => m.idNumber))];
}

/** Records mapped to the wire; members with no record at all are listed as not found. */
export function queryAnsweredOf(request: QueryRequested, provider: string, records: DepartmentRecord[], answeredAt: Date): QueryAnswered {
  const found = new Set(records.map((r) => r.idNumber));
  return QueryAnswered.fromPartial({
    requestId: request.requestId,
    verificationId: request.verificationId,
    provider,
    answeredAt: answeredAt.toISOString(),
    records: records.map(toProviderRecord),
    notFoundIdNumbers: askedIdNumbers(request).filter((id) => !found.has(id)),
  });
}

export function queryFailedOf(request: QueryRequested, provider: string, code: FailureCode, reason: string, failedAt: Date): QueryFailed {
  return QueryFailed.fromPartial({
    requestId: request.requestId,
    verificationId: request.verificationId,
    provider,
    failedAt: failedAt.toISOString(),
    code: FAILURE_CODES[code],
    reason,
  });
}

/** The answer with its signature (over the message with `signature` empty, see queryAnsweredSignedBytes). */
export function signedQueryAnswered(answer: QueryAnswered, key: KeyObject): QueryAnswered {
  return { ...answer, signature: signAnswer(queryAnsweredSignedBytes(answer), key) };
}

export function signedQueryFailed(failure: QueryFailed, key: KeyObject): QueryFailed {
  return { ...failure, signature: signAnswer(queryFailedSignedBytes(failure), key) };
}
