/**
 * Verifies a provider's signature on its QueryAnswered / QueryFailed against that provider's registered
 * public key (VERIHUB_PROVIDER_KEYS). What is signed: the message as ts-proto encodes it with `signature`
 * empty (libs/contracts signed-bytes.ts) — the decoded message re-encoded, which gives the sender's bytes
 * for every field this contract version knows.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type QueryAnswered, type QueryFailed, queryAnsweredSignedBytes, queryFailedSignedBytes } from '@verihub/contracts';
import { type AnswerSignatureCheck, verifyAnswerSignature } from '@verihub/domain';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';

@Injectable()
export class AnswerSignatures {
  constructor(@Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings) {}

  checkAnswered(message: QueryAnswered): AnswerSignatureCheck {
    return this.check(message.provider, queryAnsweredSignedBytes(message), message.signature);
  }

  checkFailed(message: QueryFailed): AnswerSignatureCheck {
    return this.check(message.provider, queryFailedSignedBytes(message), message.signature);
  }

  private check(provider: string, bytes: Uint8Array, signature: string): AnswerSignatureCheck {
    if (!signature) return { ok: false, reason: 'missing' };
    // Only the keys registered for the provider the message claims to come from.
    const keys = this.settings.consent.providerKeys.get(provider);
    if (!keys) return { ok: false, reason: 'invalid' };
    return verifyAnswerSignature(bytes, signature, keys);
  }
}
