import { AuditEventRecorded, Topics, VerificationStatus, VerificationUpdated } from '@verihub/contracts';
import { computeHouseholdReport, type HouseholdMember } from '@verihub/domain';
import { person, reportInput } from '@verihub/domain/report/testing/report-builders';
import type { Response } from 'supertest';
import { eventually, type GatewayHarness } from './gateway-harness';

export interface OutboxAuditEvent {
  key: string;
  /** The message bytes as stored in the outbox. */
  bytes: Buffer;
  event: AuditEventRecorded;
}

/** The audit events the gateway put in its outbox, oldest first. */
export async function auditEventsInOutbox(h: GatewayHarness): Promise<OutboxAuditEvent[]> {
  const { rows } = await h.pg.query<{ message_key: string; value: Buffer }>(
    `SELECT message_key, value FROM gateway.outbox WHERE topic = $1 ORDER BY id`,
    [Topics.auditEventRecorded],
  );
  return rows.map((r) => ({ key: r.message_key, bytes: r.value, event: AuditEventRecorded.decode(r.value) }));
}

export async function auditActions(h: GatewayHarness): Promise<string[]> {
  return (await auditEventsInOutbox(h)).map((e) => e.event.action);
}

/** Issues report version `version` of verification `id` as the aggregator would, and waits until the gateway has it. */
export async function issueReport(h: GatewayHarness, id: string, members: HouseholdMember[], version = 1): Promise<void> {
  const input = reportInput({ members, records: members.map((m) => person(m)) });
  const reportNumber = `HC-20261101-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
  const report = computeHouseholdReport({ ...input, verificationId: id, reportNumber, version, issuedAt: `2026-11-0${version}T12:00:00+08:00` });
  const message = VerificationUpdated.fromPartial({
    verificationId: id,
    status: VerificationStatus.VERIFICATION_STATUS_COMPLETE,
    reportVersion: version,
    reportJson: JSON.stringify(report),
    updatedAt: `2026-11-0${version}T12:00:01+08:00`,
    changeReason: version === 1 ? 'first issue' : 're-check',
  });
  await h.publisher.publish([{ topic: Topics.verificationUpdated, key: id, value: VerificationUpdated.encode(message).finish() }]);
  await eventually(async () => {
    const { rows } = await h.pg.query(`SELECT 1 FROM gateway.report_versions WHERE verification_id = $1 AND version = $2`, [id, version]);
    return rows.length > 0;
  }, `report version ${version}`);
}

/** supertest buffers unknown media types only when told; the body is the raw bytes. */
export function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}
