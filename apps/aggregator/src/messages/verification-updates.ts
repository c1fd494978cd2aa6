import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enqueueOutbox } from '@verihub/persistence';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { verificationUpdatedMessage } from './outgoing-messages';

/** Tells the gateway about a change: enqueues a VerificationUpdated snapshot in the caller's transaction. */
@Injectable()
export class VerificationUpdates {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly reports: ReportVersionRepository,
  ) {}

  /**
   * Call after the transaction's changes are written, with the verification locked: the snapshot reads
   * them back. Its updated_at is PostgreSQL's clock at this moment — one clock for every aggregator
   * instance, increasing with each locked change — so the gateway can keep the newest snapshot.
   */
  async enqueue(manager: EntityManager, verificationId: string): Promise<void> {
    const [{ now }] = (await manager.query('SELECT clock_timestamp() AS now')) as [{ now: Date }];
    const verification = await this.verifications.stateOf(manager, verificationId);
    if (!verification) throw new Error(`verification ${verificationId} does not exist`);
    const sources = await this.requests.forRound(manager, verification.id, verification.currentRound);
    const latest = await this.reports.find(manager, verification.id, verification.reportVersion);
    await enqueueOutbox(manager, [
      verificationUpdatedMessage({
        verificationId: verification.id,
        status: verification.status,
        sources,
        reportVersion: latest?.version ?? 0,
        reportJson: latest ? JSON.stringify(latest.report) : '',
        changeReason: latest?.changeReason ?? '',
        updatedAt: now,
        interactive: verification.interactive,
      }),
    ]);
  }
}
