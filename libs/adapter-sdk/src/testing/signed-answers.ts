/** Answers signed as the provider's adapter would sign them, with the test keys of libs/domain. */
import type { QueryAnswered, QueryFailed } from '@verihub/contracts';
import { parsePrivateKey } from '@verihub/domain';
import { testProviderKeyPair } from '@verihub/domain/consent/testing/test-keys';
import { signedQueryAnswered, signedQueryFailed } from '../answer-messages';

/** The answer signed with its provider's test key (or another private key: a forgery). */
export function signedAsProvider(answer: QueryAnswered, privateKey = testProviderKeyPair(answer.provider).privateKey): QueryAnswered {
  return signedQueryAnswered(answer, parsePrivateKey(privateKey));
}

export function failureSignedAsProvider(failure: QueryFailed, privateKey = testProviderKeyPair(failure.provider).privateKey): QueryFailed {
  return signedQueryFailed(failure, parsePrivateKey(privateKey));
}
