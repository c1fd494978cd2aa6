import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { DepartmentRecord } from '@verihub/domain';
import { ProviderAnswerEntity } from '../entities/provider-answer.entity';

export interface NewProviderAnswer {
  requestId: string;
  records: DepartmentRecord[];
  notFound: string[];
  answeredAt: Date;
  signature: string | null;
  /** The provider key the signature was verified with. */
  keyId: string | null;
}

/** What providers answered: department records about the household's members (personal data). */
@Injectable()
export class ProviderAnswerRepository {
  /** Stores the answer once; a second answer to the same request is ignored. */
  async insertIfAbsent(manager: EntityManager, answer: NewProviderAnswer): Promise<void> {
    await manager.createQueryBuilder().insert().into(ProviderAnswerEntity).values(answer).orIgnore().execute();
  }

  async byRequestId(manager: EntityManager, requestIds: string[]): Promise<Map<string, ProviderAnswerEntity>> {
    if (requestIds.length === 0) return new Map();
    const answers = await manager.find(ProviderAnswerEntity, { where: { requestId: In(requestIds) } });
    return new Map(answers.map((a) => [a.requestId, a]));
  }
}
