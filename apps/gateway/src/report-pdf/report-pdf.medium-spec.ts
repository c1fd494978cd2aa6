import { Topics, VerificationStatus, VerificationUpdated } from '@verihub/contracts';
import { computeHouseholdReport, type HouseholdMember } from '@verihub/domain';
import { holding, income, person, reportInput } from '@verihub/domain/report/testing/report-builders';
import type { Response } from 'supertest';
import { eventually, startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy, validVerificationRequest } from '../testing/households';
import { compact, extractPdfText } from './testing/pdf-text';

/** supertest buffers unknown media types only when told; the body is the PDF's bytes. */
function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('GET /api/v1/verifications/{id}/report as application/pdf (real gateway, real PostgreSQL)', () => {
  let h: GatewayHarness;
  let officer: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    officer = await h.token('officer');
    const admin = await h.token('admin');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
  });
  afterAll(async () => h?.close());

  const pdfOf = (id: string, query = '') =>
    h.http().get(`/api/v1/verifications/${id}/report${query}`).set('Authorization', `Bearer ${officer}`).set('Accept', 'application/pdf');

  async function issue(id: string, members: HouseholdMember[], version: number, reportNumber: string): Promise<void> {
    const [applicant, spouse] = members;
    const input = reportInput({
      members,
      records: [...members.map((m) => person(m)), income(applicant, '2026-03', 'wage', 650_000, 15_000), holding('bank:ICBC', spouse, 1_234_567)],
      statuses: version === 1 ? { 'bank:CCB': 'timeout' } : {},
    });
    const report = computeHouseholdReport({ ...input, verificationId: id, reportNumber, version, issuedAt: `2026-11-0${version}T12:00:00+08:00` });
    const message = VerificationUpdated.fromPartial({
      verificationId: id,
      status: version === 1 ? VerificationStatus.VERIFICATION_STATUS_PARTIAL : VerificationStatus.VERIFICATION_STATUS_COMPLETE,
      reportVersion: version,
      reportJson: JSON.stringify(report),
      updatedAt: `2026-11-0${version}T12:00:01+08:00`,
      changeReason: version === 1 ? 'first issue' : 'late answer from bank:CCB',
    });
    await h.publisher.publish([{ topic: Topics.verificationUpdated, key: id, value: VerificationUpdated.encode(message).finish() }]);
    await eventually(
      async () => (await h.http().get(`/api/v1/verifications/${id}`).set('Authorization', `Bearer ${officer}`)).body.reportVersion === version,
      `report version ${version}`,
    );
  }

  it('answers 404 problem while pending, then the newest version as an attachment, and ?version=N', async () => {
    const request = validVerificationRequest();
    const created = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(request).expect(201);
    const id: string = created.body.id;

    const pending = await pdfOf(id).expect(404);
    expect(pending.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(pending.body).toMatchObject({ status: 404, type: 'urn:verihub:problem:report-not-issued' });

    const reportNumber = `HC-20261101-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    const members = request.members as HouseholdMember[];
    await issue(id, members, 1, reportNumber);
    await issue(id, members, 2, reportNumber);

    const newest = await pdfOf(id).buffer(true).parse(binary).expect(200);
    expect(newest.headers['content-type']).toBe('application/pdf');
    expect(newest.headers['content-disposition']).toBe(`attachment; filename="${reportNumber}-v2.pdf"`);
    const body = newest.body as Buffer;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const v2 = extractPdfText(body);
    expect(v2.text).toContain(`报告编号：${reportNumber}`);
    expect(compact(v2.text)).toContain('报告版本Version第2版');
    for (const m of members) expect(v2.text).toContain(m.name);
    expect(v2.pages[0]).toContain(`第 1 页 / 共 ${v2.pageCount} 页`);

    const first = await pdfOf(id, '?version=1').buffer(true).parse(binary).expect(200);
    expect(first.headers['content-disposition']).toBe(`attachment; filename="${reportNumber}-v1.pdf"`);
    const v1 = compact(extractPdfText(first.body as Buffer).text);
    expect(v1).toContain('报告版本Version第1版');
    expect(v1).toContain('银行业金融机构中国建设银行');
    expect(v1).toContain('核对结论：信息不完整');

    const missing = await pdfOf(id, '?version=3').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);

    // JSON stays the default representation.
    const json = await h.http().get(`/api/v1/verifications/${id}/report`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(json.body).toMatchObject({ reportNumber, version: 2 });
  });
});
