import { AuditEventRecorded } from '@verihub/contracts';
import { auditSubjectOf } from '@verihub/domain';
import { auditEventProblems, auditRecordOf } from './audit-event';

const KEY = 'k'.repeat(32);
const ID = '11010519491231002X';

function event(overrides: Parameters<typeof AuditEventRecorded.fromPartial>[0] = {}): AuditEventRecorded {
  return AuditEventRecorded.fromPartial({
    eventId: '0B4E7C7A-0000-4000-8000-000000000001',
    occurredAt: '2026-11-02T10:00:00.123456+08:00',
    sourceService: 'aggregator',
    actor: { username: 'officer', role: 'officer', regionCode: '500115' },
    action: 'provider_answer_received',
    case: { verificationId: '6A1F0000-0000-4000-8000-0000000000A1', program: 'dibao', purpose: 'application', regionCode: '500115', authorizationRefs: ['AUTH-1'] },
    subjects: [auditSubjectOf(ID, KEY)],
    provider: 'tax',
    dataCategories: ['income'],
    outcome: { status: 'answered', recordCount: 0 },
    latencyMs: 12,
    ...overrides,
  });
}

describe('audit events as recorded', () => {
  it('accepts an adapter\'s event: the department as actor, a refusal with its reason category and no case region', () => {
    const refusal = event({
      sourceService: 'adapter-bank-icbc',
      actor: { username: 'provider:bank:ICBC', role: 'system', regionCode: '', organisation: 'bank:ICBC' },
      provider: 'bank:ICBC',
      dataCategories: ['query_token_forged'],
      outcome: { status: 'refused' },
      latencyMs: undefined,
    });
    expect(auditEventProblems(refusal)).toEqual([]);
    expect(auditRecordOf(refusal)).toMatchObject({ actorUsername: 'provider:bank:ICBC', actorRole: 'system', actorRegion: null, actorOrganisation: 'bank:ICBC', outcomeStatus: 'refused', recordCount: null });
  });

  it('accepts a complete event and records it with nulls for what it does not say', () => {
    expect(auditEventProblems(event())).toEqual([]);
    expect(auditRecordOf(event())).toEqual({
      eventId: '0b4e7c7a-0000-4000-8000-000000000001',
      occurredAt: '2026-11-02T02:00:00.123Z',
      sourceService: 'aggregator',
      actorUsername: 'officer',
      actorRole: 'officer',
      actorRegion: '500115',
      actorOrganisation: null,
      action: 'provider_answer_received',
      verificationId: '6a1f0000-0000-4000-8000-0000000000a1',
      program: 'dibao',
      purpose: 'application',
      caseRegion: '500115',
      authorizationRefs: ['AUTH-1'],
      provider: 'tax',
      subjectHashes: [auditSubjectOf(ID, KEY).idHash],
      subjectsMasked: ['110105********002X'],
      dataCategories: ['income'],
      outcomeStatus: 'answered',
      recordCount: 0,
      latencyMs: 12,
    });
    const minimal = auditRecordOf(event({ case: undefined, subjects: [], provider: '', dataCategories: [], outcome: undefined, latencyMs: undefined }));
    expect(minimal).toMatchObject({ verificationId: null, program: null, caseRegion: null, authorizationRefs: [], provider: null, outcomeStatus: null, recordCount: null, latencyMs: null });
  });

  it.each<[string, Parameters<typeof event>[0], string]>([
    ['a raw identity number as a hash', { subjects: [{ idHash: ID, idMasked: '110105********002X' }] }, 'subjects[0].id_hash must be a keyed hash'],
    ['a raw identity number in a document reference', { case: { authorizationRefs: [`AUTH-${ID}`] } }, 'case.authorization_refs[0] holds what looks like a raw identity number'],
    ['a raw identity number as a data category', { dataCategories: [ID] }, 'data_categories[0] holds what looks like a raw identity number'],
    ['a verification id that is not a uuid', { case: { verificationId: 'case-1' } }, 'case.verification_id must be a uuid'],
    ['a region code of 4 digits', { actor: { username: 'officer', role: 'officer', regionCode: '5001' } }, 'actor.region_code must be 6 digits'],
    ['a negative latency', { latencyMs: -1 }, 'latency_ms must be ≥ 0'],
    ['a negative record count', { outcome: { status: 'answered', recordCount: -3 } }, 'outcome.record_count must be ≥ 0'],
    ['a very long username', { actor: { username: 'x'.repeat(201), role: 'officer' } }, 'actor.username is longer than 200 characters'],
    ['no source', { sourceService: '' }, 'source_service is required'],
  ])('refuses %s', (_, overrides, problem) => {
    const problems = auditEventProblems(event(overrides));
    expect(problems).toEqual([expect.stringContaining(problem)]);
    expect(problems.join(' ')).not.toContain(ID);
  });
});
