import { AuditEventBatch, AuditEventRecorded } from './generated';
import { AUDIT_EVENTS_PER_MESSAGE, auditEventsIn, packAuditEvents } from './audit-packing';
import { Topics } from './topics';

const event = (i: number): AuditEventRecorded =>
  AuditEventRecorded.fromPartial({
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    occurredAt: '2026-12-02T10:00:00+08:00',
    sourceService: 'aggregator',
    actor: { username: 'system', role: 'system' },
    action: 'provider_query_sent',
    case: { verificationId: `v-${i % 3}`, program: 'dibao', purpose: 'review', regionCode: '500115' },
    provider: 'tax',
    dataCategories: ['income'],
    outcome: { status: 'succeeded', recordCount: i },
    latencyMs: i % 2 === 0 ? i : undefined,
  });
const auditMessage = (i: number) => ({ topic: Topics.auditEventRecorded, key: `v-${i % 3}`, value: AuditEventRecorded.encode(event(i)).finish() });
const other = (topic: string) => ({ topic, key: 'v-1', value: Uint8Array.from([1, 2, 3]) });

describe('packAuditEvents', () => {
  it('carries the audit events in one AuditEventBatch, in order, each decoding to exactly what was emitted', () => {
    const request = other(Topics.verificationRequested);
    const update = other(Topics.verificationUpdated);
    const out = packAuditEvents([auditMessage(0), request, auditMessage(1), update, auditMessage(2)], 'aggregator');

    expect(out.slice(0, 2)).toEqual([request, update]);
    expect(out).toHaveLength(3);
    expect(out[2]).toMatchObject({ topic: Topics.auditEventsRecorded, key: 'aggregator' });
    expect(AuditEventBatch.decode(out[2].value).events).toEqual([event(0), event(1), event(2)]);
  });

  it('splits a burst into messages of at most AUDIT_EVENTS_PER_MESSAGE events, keeping the order', () => {
    const count = AUDIT_EVENTS_PER_MESSAGE * 2 + 5;
    const out = packAuditEvents(Array.from({ length: count }, (_, i) => auditMessage(i)), 'gateway');
    const batches = out.map((m) => AuditEventBatch.decode(m.value).events);
    expect(batches.map((b) => b.length)).toEqual([AUDIT_EVENTS_PER_MESSAGE, AUDIT_EVENTS_PER_MESSAGE, 5]);
    expect(batches.flat().map((e) => e.outcome?.recordCount)).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('leaves a lone audit event, and messages without any, as they are', () => {
    const lone = [auditMessage(4), other(Topics.queryAnswered)];
    expect(packAuditEvents(lone, 'gateway')).toEqual(lone);
    expect(packAuditEvents([], 'gateway')).toEqual([]);
  });

  it('reads the events back from single and packed messages alike, in order (auditEventsIn)', () => {
    const packed = packAuditEvents([auditMessage(1), auditMessage(2)], 'gateway');
    expect(auditEventsIn([auditMessage(0), other(Topics.queryFailed), ...packed])).toEqual([event(0), event(1), event(2)]);
  });
});
