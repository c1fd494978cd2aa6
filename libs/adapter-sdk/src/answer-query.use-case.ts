/**
 * Answers one provider request, once: record the delivery, and unless the request was already answered,
 * check it (rules, authorization, query token, further verifiers), look the members up, publish a signed
 * QueryAnswered (or QueryFailed) and mark it answered — all under the request's row lock. executeMany does
 * the same for many requests with a constant number of statements (one lock, one publish, one update).
 */
import type { KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { QueryAnswered, QueryFailed, type QueryRequested, Topics, onLane, packAuditEvents } from '@verihub/contracts';
import { type DepartmentRecord, maskIdentityNumber, type ProviderDataSource } from '@verihub/domain';
import { MalformedMessageError, type MessagePublisher, type OutgoingMessage } from '@verihub/messaging';
import type { AdapterAuditTrail, RefusalCategory } from './adapter-audit';
import { askedIdNumbers, type FailureCode, queryAnsweredOf, queryFailedOf, signedQueryAnswered, signedQueryFailed } from './answer-messages';
import type { HandledRequestOutcome } from './handled-request.entity';
import type { DeliveryState, HandledRequestRepository, OutcomeUpdate } from './handled-request.repository';
import { envelopeProblem, redactIdentityNumbers } from './query-request.rules';
import type { QueryTokenVerifier } from './query-token.verifier';
import { checkBeforeLookup } from './request-checks';
import type { RefusalCode, RequestRefusal, RequestVerifier } from './request-verifier';

export interface AnswerQueryDependencies {
  provider: string;
  dataSource: ProviderDataSource;
  requests: HandledRequestRepository;
  publisher: MessagePublisher;
  /** The query-token check: always run, right after the request rules and the authorization check. */
  queryTokens: QueryTokenVerifier;
  /** Signs every QueryAnswered and QueryFailed (the adapter's private key). */
  answerSigningKey: KeyObject;
  /** Checks after the request rules, the authorization and the query-token checks; the first refusal wins. */
  verifiers: RequestVerifier[];
  maxDeliveries: number;
  clock: () => Date;
  /** Records every request handled (answered, refused, given up on) in the audit log; duplicates are not. */
  audit: AdapterAuditTrail;
}

export interface AnswerResult {
  outcome: HandledRequestOutcome;
  /** True when the request had already been answered: nothing was looked up or published. */
  duplicate: boolean;
  recordCount: number | null;
}

/** Thrown back to the transport so it redelivers: the department's data source failed this attempt. */
export class SourceUnavailableError extends Error {
  override name = 'SourceUnavailableError';
}

const OUTCOMES: Record<RefusalCode, Exclude<HandledRequestOutcome, 'pending'>> = {
  UNAUTHORIZED: 'unauthorized',
  INVALID_REQUEST: 'invalid_request',
};

export class AnswerQueryUseCase {
  private readonly logger: Logger;

  constructor(private readonly deps: AnswerQueryDependencies) {
    this.logger = new Logger(`Adapter ${deps.provider}`);
  }

  async execute(request: QueryRequested): Promise<AnswerResult> {
    const problem = envelopeProblem(request, this.deps.provider);
    if (problem) {
      await this.deps.audit.record(request, { status: 'refused', category: 'malformed_request' }, this.deps.clock());
      throw new MalformedMessageError(problem);
    }

    const started = Date.now();
    const delivery = await this.deps.requests.recordDelivery(request, this.deps.clock());
    if (delivery.outcome !== 'pending') return this.duplicate(request, delivery, started);

    return this.deps.requests.withRequestLocked(request.requestId, async (state, manager) => {
      // Another delivery of the same request may have answered it while this one waited for the lock.
      if (state.outcome !== 'pending') return this.duplicate(request, state, started);

      const refusal = await checkBeforeLookup(request, { provider: this.deps.provider, now: this.deps.clock() }, [
        this.deps.queryTokens,
        ...this.deps.verifiers,
      ]);
      if (refusal) {
        const failedAt = this.deps.clock();
        await this.publishFailed(request, refusal.code, refusal.reason, failedAt);
        await this.deps.audit.record(request, { status: 'refused', category: refusalCategory(refusal) }, failedAt);
        await this.deps.requests.markOutcome(manager, request.requestId, OUTCOMES[refusal.code], failedAt, null);
        this.log('warn', request, OUTCOMES[refusal.code], null, state.deliveries, started, refusal.reason);
        return { outcome: OUTCOMES[refusal.code], duplicate: false, recordCount: null };
      }

      let records: DepartmentRecord[];
      try {
        records = await this.lookup(request);
      } catch (err) {
        const cause = redactIdentityNumbers(err instanceof Error ? err.message : String(err));
        if (state.deliveries < this.deps.maxDeliveries) {
          this.log('warn', request, 'pending', null, state.deliveries, started, `data source failed (attempt ${state.deliveries} of ${this.deps.maxDeliveries}), redelivery expected: ${cause}`);
          throw new SourceUnavailableError(`data source failed for request ${request.requestId} (attempt ${state.deliveries}): ${cause}`);
        }
        const reason = `the department's data source could not be read after ${state.deliveries} attempts: ${cause}`;
        const failedAt = this.deps.clock();
        await this.publishFailed(request, 'SOURCE_UNAVAILABLE', reason, failedAt);
        await this.deps.audit.record(request, { status: 'failed', category: 'source_unavailable' }, failedAt);
        await this.deps.requests.markOutcome(manager, request.requestId, 'source_unavailable', failedAt, null);
        this.log('error', request, 'source_unavailable', null, state.deliveries, started, reason);
        return { outcome: 'source_unavailable', duplicate: false, recordCount: null };
      }

      const answeredAt = this.deps.clock();
      await this.publishAnswered(request, records, answeredAt);
      await this.deps.audit.record(request, { status: records.length > 0 ? 'answered' : 'no_record', recordCount: records.length }, answeredAt);
      await this.deps.requests.markOutcome(manager, request.requestId, 'answered', answeredAt, records.length);
      this.log('log', request, 'answered', records.length, state.deliveries, started);
      return { outcome: 'answered', duplicate: false, recordCount: records.length };
    });
  }

  /**
   * Answers many requests (one topic partition's, in log order) as execute would one after the other —
   * same outcomes, answers, audit events and counts — in one transaction: one statement counts and locks
   * them all, one publish carries every answer and audit event, one statement marks the outcomes. A request
   * id seen twice is answered once (the later occurrence is a duplicate delivery). The lookups are issued
   * together, so a coalescing data source serves them with one query per table.
   *
   * Throws, keeping nothing, when the batch cannot be handled whole: a request that cannot be answered at
   * all (MalformedMessageError, not recorded here) or a failed lookup. The transport then hands the
   * requests over one at a time to execute, which records, dead-letters or retries each as it always did.
   */
  async executeMany(requests: readonly QueryRequested[]): Promise<AnswerResult[]> {
    if (requests.length <= 1) return Promise.all(requests.map((r) => this.execute(r)));
    for (const request of requests) {
      const problem = envelopeProblem(request, this.deps.provider);
      if (problem) throw new MalformedMessageError(`a request of the batch cannot be answered (${problem}); handled one at a time`);
    }

    const started = Date.now();
    return this.deps.requests.withDeliveriesLocked(requests, this.deps.clock(), async (states, manager) => {
      const results: Array<AnswerResult | undefined> = requests.map(() => undefined);
      const inBatch = new Map<string, number>();
      for (const r of requests) inBatch.set(r.requestId, (inBatch.get(r.requestId) ?? 0) + 1);
      // Each occurrence's delivery number, as if they had come one by one; only the first may be worked on.
      const seen = new Map<string, number>();
      const pending: Array<{ index: number; request: QueryRequested }> = [];
      const deliveryOf = requests.map((request, index) => {
        const nth = (seen.get(request.requestId) ?? 0) + 1;
        seen.set(request.requestId, nth);
        const state = states.get(request.requestId)!;
        const delivery = state.deliveries - inBatch.get(request.requestId)! + nth;
        if (state.outcome !== 'pending') results[index] = this.duplicate(request, { outcome: state.outcome, deliveries: delivery }, started);
        else if (nth === 1) pending.push({ index, request });
        return delivery;
      });

      const checks = [this.deps.queryTokens, ...this.deps.verifiers];
      const refusals = await Promise.all(
        pending.map(({ request }) => checkBeforeLookup(request, { provider: this.deps.provider, now: this.deps.clock() }, checks)),
      );
      const toLookUp = pending.filter((_, i) => !refusals[i]);
      const lookups = await Promise.allSettled(toLookUp.map(({ request }) => this.lookup(request)));
      const records = new Map<number, DepartmentRecord[]>();
      for (const [i, lookup] of lookups.entries()) {
        if (lookup.status === 'fulfilled') {
          records.set(toLookUp[i].index, lookup.value);
          continue;
        }
        // execute decides per request: redelivery expected, or SOURCE_UNAVAILABLE after maxDeliveries.
        const cause = redactIdentityNumbers(lookup.reason instanceof Error ? lookup.reason.message : String(lookup.reason));
        throw new SourceUnavailableError(
          `data source failed for request ${toLookUp[i].request.requestId} of a batch of ${requests.length}, handled one at a time: ${cause}`,
        );
      }

      const outgoing: OutgoingMessage[] = [];
      const updates: OutcomeUpdate[] = [];
      const logs: Array<() => void> = [];
      pending.forEach(({ index, request }, i) => {
        const refusal = refusals[i];
        const at = this.deps.clock();
        const delivery = deliveryOf[index];
        if (refusal) {
          const outcome = OUTCOMES[refusal.code];
          outgoing.push(
            this.failedMessage(request, refusal.code, refusal.reason, at),
            this.deps.audit.messageOf(request, { status: 'refused', category: refusalCategory(refusal) }, at),
          );
          updates.push({ requestId: request.requestId, outcome, answeredAt: at, recordCount: null });
          logs.push(() => this.log('warn', request, outcome, null, delivery, started, refusal.reason));
          results[index] = { outcome, duplicate: false, recordCount: null };
          return;
        }
        const found = records.get(index)!;
        outgoing.push(
          this.answeredMessage(request, found, at),
          this.deps.audit.messageOf(request, { status: found.length > 0 ? 'answered' : 'no_record', recordCount: found.length }, at),
        );
        updates.push({ requestId: request.requestId, outcome: 'answered', answeredAt: at, recordCount: found.length });
        logs.push(() => this.log('log', request, 'answered', found.length, delivery, started));
        results[index] = { outcome: 'answered', duplicate: false, recordCount: found.length };
      });

      // The batch's audit events travel together (Topics.auditEventsRecorded), not one message each.
      if (outgoing.length > 0) await this.deps.publisher.publish(packAuditEvents(outgoing, `provider:${this.deps.provider}`));
      await this.deps.requests.markOutcomes(manager, updates);
      for (const log of logs) log();

      // Later occurrences of a request answered in this batch: duplicates, as the next delivery would be.
      const firstResult = new Map<string, AnswerResult>();
      return requests.map((request, index) => {
        const result = results[index];
        if (result) {
          if (!firstResult.has(request.requestId)) firstResult.set(request.requestId, result);
          return result;
        }
        const outcome = firstResult.get(request.requestId)!.outcome;
        return this.duplicate(request, { outcome, deliveries: deliveryOf[index] }, started);
      });
    });
  }

  private async lookup(request: QueryRequested): Promise<DepartmentRecord[]> {
    const idNumbers = askedIdNumbers(request);
    const asked = new Set(idNumbers);
    const records = await this.deps.dataSource.lookup({
      provider: this.deps.provider,
      idNumbers,
      incomePeriod: { from: request.incomePeriod!.from, to: request.incomePeriod!.to },
      assetsAsOf: request.assetsAsOf,
    });
    // Never pass on what was not asked: a data source bug must not leak other people's records.
    const kept = records.filter((r) => asked.has(r.idNumber));
    if (kept.length < records.length) {
      this.logger.warn(`verification=${request.verificationId} data source returned ${records.length - kept.length} record(s) about people not asked about; dropped`);
    }
    return kept;
  }

  private async publishAnswered(request: QueryRequested, records: DepartmentRecord[], answeredAt: Date): Promise<void> {
    await this.deps.publisher.publish([this.answeredMessage(request, records, answeredAt)]);
  }

  private async publishFailed(request: QueryRequested, code: FailureCode, reason: string, failedAt: Date): Promise<void> {
    await this.deps.publisher.publish([this.failedMessage(request, code, reason, failedAt)]);
  }

  private answeredMessage(request: QueryRequested, records: DepartmentRecord[], answeredAt: Date): OutgoingMessage {
    const answer = signedQueryAnswered(queryAnsweredOf(request, this.deps.provider, records, answeredAt), this.deps.answerSigningKey);
    return { topic: onLane(Topics.queryAnswered, request.interactive), key: request.verificationId, value: QueryAnswered.encode(answer).finish() };
  }

  private failedMessage(request: QueryRequested, code: FailureCode, reason: string, failedAt: Date): OutgoingMessage {
    const failure = signedQueryFailed(queryFailedOf(request, this.deps.provider, code, reason, failedAt), this.deps.answerSigningKey);
    return { topic: onLane(Topics.queryFailed, request.interactive), key: request.verificationId, value: QueryFailed.encode(failure).finish() };
  }

  private duplicate(request: QueryRequested, state: DeliveryState, started: number): AnswerResult {
    this.log('log', request, state.outcome, null, state.deliveries, started, 'duplicate delivery: already handled, nothing looked up or published');
    return { outcome: state.outcome, duplicate: true, recordCount: null };
  }

  /** One line per request delivery; identity numbers masked, names never. */
  private log(
    level: 'log' | 'warn' | 'error',
    request: QueryRequested,
    outcome: HandledRequestOutcome,
    recordCount: number | null,
    deliveries: number,
    started: number,
    note?: string,
  ): void {
    const ids = askedIdNumbers(request).map(maskIdentityNumber).join(',');
    const line =
      `verification=${request.verificationId} request=${request.requestId} provider=${this.deps.provider} ` +
      `members=${request.members.length} ids=[${ids}] records=${recordCount ?? '-'} outcome=${outcome} ` +
      `delivery=${deliveries} latency=${Date.now() - started}ms` +
      (note ? ` note="${note}"` : '');
    // Ids come from the message: an intruder's verification id may carry an identity number. A batch
    // answers thousands a minute: its routine lines are debug (the batch's progress tells the story).
    this.logger[level === 'log' && !request.interactive ? 'debug' : level](redactIdentityNumbers(line));
  }
}

/** How the audit log files a refusal that names no category of its own. */
function refusalCategory(refusal: RequestRefusal): RefusalCategory {
  return refusal.category ?? (refusal.code === 'UNAUTHORIZED' ? 'refused_by_verifier' : 'invalid_request');
}
