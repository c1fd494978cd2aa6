import type { Actor } from '../auth/actor';
import type { Role } from '../database/user.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import type { BatchEntity } from './batch.entity';

/** Officers hand over caseloads (for their region); administrators follow and cancel any batch. */
export const SUBMIT_ROLES: Role[] = ['officer'];
export const FOLLOW_ROLES: Role[] = ['officer', 'admin'];

/** An officer sees the batches of their own region; another region's batch is "not found" (no existence leak). */
export function visibleBatch(actor: Actor, batch: BatchEntity | null, id: string): BatchEntity {
  if (!batch || (actor.role === 'officer' && batch.regionCode !== actor.regionCode)) {
    throw new GatewayException(GatewayExceptionCode.BATCH_NOT_FOUND, `No batch ${id} is visible to you.`);
  }
  return batch;
}
