import { objectionWindow } from '@verihub/domain';
import type { ObjectionRecord } from './objection.repository';
import type { ObjectionView } from './review.views';
import { objectionRecheckReason } from './review-state';

export function toObjectionView({ objection, answeredByVersion }: ObjectionRecord): ObjectionView {
  return {
    id: objection.id,
    verificationId: objection.verificationId,
    version: objection.version,
    reason: objection.reason,
    raisedBy: objection.raisedBy,
    receivedAt: objection.receivedAt.toISOString(),
    reportReceivedAt: objection.reportReceivedAt.toISOString(),
    periodLastDay: objectionWindow(objection.reportReceivedAt).lastDay,
    recordedBy: objection.recordedBy,
    recordedAt: objection.recordedAt.toISOString(),
    recheckReason: objectionRecheckReason(objection.id),
    state: answeredByVersion === null ? 'rechecking' : 'answered',
    answeredByVersion,
  };
}
