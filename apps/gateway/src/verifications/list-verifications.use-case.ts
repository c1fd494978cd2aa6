import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { confinedRegion } from './verification-access';
import { toSummaryView } from './verification.mapper';
import { VerificationRepository } from './verification.repository';
import type { ListVerificationsQuery, VerificationPageView } from './verification.views';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class ListVerificationsUseCase {
  constructor(private readonly verifications: VerificationRepository) {}

  async execute(actor: Actor, query: ListVerificationsQuery): Promise<VerificationPageView> {
    const confined = confinedRegion(actor);
    if (confined !== undefined && query.regionCode !== undefined && query.regionCode !== confined) {
      throw new GatewayException(GatewayExceptionCode.REGION_NOT_ALLOWED, `You may list only region ${confined}.`, [
        { field: 'regionCode', message: `must be your own region (${confined})` },
      ]);
    }
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { rows, total } = await this.verifications.list({
      regionCode: confined ?? query.regionCode,
      status: query.status,
      program: query.program,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items: rows.map((r) => toSummaryView(r.verification, r.conclusion, r.reviewState)), total, page, pageSize };
  }
}
