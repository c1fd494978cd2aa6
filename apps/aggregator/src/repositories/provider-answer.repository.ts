import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { DepartmentRecord } from '@verihub/domain';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import type { SealedValue } from '../crypto/data-cipher';
import { ProviderAnswerEntity } from '../entities/provider-answer.entity';

export const recordsContext = (requestId: string): string => `provider_answers.records:${requestId}`;
export const notFoundContext = (requestId: string): string => `provider_answers.not_found:${requestId}`;

export interface NewProviderAnswer {
  requestId: string;
  records: DepartmentRecord[];
  notFound: string[];
  answeredAt: Date;
  signature: string | null;
  /** The provider key the signature was verified with. */
  keyId: string | null;
}

/**
 * What providers answered: department records about the household's members (personal data: identity
 * numbers, names). The records and the identity numbers not found are stored sealed (AES-256-GCM) and opened
 * here: callers see plaintext in memory only.
 */
@Injectable()
export class ProviderAnswerRepository {
  constructor(@Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings) {}

  /** Stores each answer once, in one statement; a second answer to the same request is ignored. */
  async insertAllIfAbsent(manager: EntityManager, answers: readonly NewProviderAnswer[]): Promise<void> {
    if (answers.length === 0) return;
    const { dataCipher } = this.settings;
    const sealed = answers.map((answer) => ({
      ...answer,
      records: dataCipher.seal(answer.records, recordsContext(answer.requestId)) as unknown as DepartmentRecord[],
      notFound: dataCipher.seal(answer.notFound, notFoundContext(answer.requestId)) as unknown as string[],
    }));
    await manager.createQueryBuilder().insert().into(ProviderAnswerEntity).values(sealed).orIgnore().execute();
  }

  async byRequestId(manager: EntityManager, requestIds: string[]): Promise<Map<string, ProviderAnswerEntity>> {
    if (requestIds.length === 0) return new Map();
    const { dataCipher } = this.settings;
    const answers = await manager.find(ProviderAnswerEntity, { where: { requestId: In(requestIds) } });
    for (const a of answers) {
      a.records = dataCipher.open<DepartmentRecord[]>(a.records as unknown as SealedValue, recordsContext(a.requestId));
      a.notFound = dataCipher.open<string[]>(a.notFound as unknown as SealedValue, notFoundContext(a.requestId));
    }
    return new Map(answers.map((a) => [a.requestId, a]));
  }
}
