import { Injectable } from '@nestjs/common';
import { maskIdentityNumber, maskName } from '@verihub/domain';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { ReviewQueueRepository, type ReviewQueueRow } from './review-queue.repository';
import type { ReviewQueueQuery } from './review.dto';
import type { ReviewQueueItemView, ReviewQueuePageView } from './review.views';
import { REVIEW_QUEUE_ROLES } from './review-access';

const DEFAULT_PAGE_SIZE = 20;

function toItem(row: ReviewQueueRow): ReviewQueueItemView {
  const applicant = row.members.find((m) => m.relation === 'applicant');
  return {
    id: row.id,
    program: row.program,
    purpose: row.purpose,
    regionCode: row.regionCode,
    applicant: applicant ? { idNumber: maskIdentityNumber(applicant.idNumber), name: maskName(applicant.name) } : null,
    status: row.status,
    version: row.version,
    conclusion: row.conclusion,
    issuedAt: row.issuedAt,
    changeReason: row.changeReason,
  };
}

/** The reviewer's work list: their region's newest report versions that await a signature, oldest first. */
@Injectable()
export class ListPendingReviewsUseCase {
  constructor(private readonly queue: ReviewQueueRepository) {}

  async execute(actor: Actor, query: ReviewQueueQuery): Promise<ReviewQueuePageView> {
    if (!REVIEW_QUEUE_ROLES.includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" has no review queue.`);
    }
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { rows, total } = await this.queue.awaitingSignature(actor.regionCode, (page - 1) * pageSize, pageSize);
    return { items: rows.map(toItem), total, page, pageSize };
  }
}
