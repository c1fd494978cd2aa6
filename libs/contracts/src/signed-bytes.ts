/**
 * What a provider's answer signature covers: the message as ts-proto encodes it with `signature` set to
 * '' (proto3 omits the empty field). The encoding of known fields is deterministic (field order, no
 * map fields), so the aggregator re-encodes the decoded message the same way and gets the same bytes.
 * Fields unknown to the verifier's contract version are dropped on decode and not covered: a contract
 * change to these messages must reach the aggregator before the adapters.
 */
import { QueryAnswered, QueryFailed } from './generated/verihub/provider/v1/query';

export function queryAnsweredSignedBytes(message: QueryAnswered): Uint8Array {
  return QueryAnswered.encode({ ...message, signature: '' }).finish();
}

export function queryFailedSignedBytes(message: QueryFailed): Uint8Array {
  return QueryFailed.encode({ ...message, signature: '' }).finish();
}
