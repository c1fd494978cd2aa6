import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { findVisible, requireReportReader } from './verification-visibility';
import { toReportVersionView } from './verification.mapper';
import { VerificationRepository } from './verification.repository';
import type { ReportVersionListView } from './verification.views';

@Injectable()
export class ListReportVersionsUseCase {
  constructor(private readonly verifications: VerificationRepository) {}

  async execute(actor: Actor, id: string): Promise<ReportVersionListView> {
    requireReportReader(actor);
    await findVisible(this.verifications, actor, id);
    const rows = await this.verifications.listReportVersions(id);
    return { items: rows.map(toReportVersionView) };
  }
}
