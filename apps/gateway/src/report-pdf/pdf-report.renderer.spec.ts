import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { asHouseholdReport, PdfReportRenderer, signatureOf } from './pdf-report.renderer';
import { compact, extractPdfText } from './testing/pdf-text';
import { WANG_REPORT_NUMBER, wangHouseholdReport } from './testing/sample-reports';

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe('PdfReportRenderer (the gateway’s PDF representation of a report)', () => {
  it('renders the stored report with the review the report view carries, named after the report number and version', async () => {
    const report = wangHouseholdReport({ version: 2 });
    const stored = { ...json(report), review: { signedBy: 'reviewer', signedAt: '2026-11-02T10:30:00+08:00', comment: '同意' } };
    const rendered = await new PdfReportRenderer().render({ verificationId: report.verificationId, version: 2, report: stored }, 'application/pdf');
    expect(rendered.contentType).toBe('application/pdf');
    expect(rendered.fileName).toBe(`${WANG_REPORT_NUMBER}-v2.pdf`);
    const text = compact(extractPdfText(rendered.body).text);
    expect(text).toContain('第2版');
    expect(text).toContain('审核人（签字）reviewer（电子签署）');
    expect(text).toContain('审核意见同意');
  });

  it('reads the review as the review routes add it, and nothing from an unsigned or malformed one', () => {
    expect(signatureOf({ review: { signedBy: 'li', signedAt: '2026-11-02T10:30:00+08:00', comment: null } })).toEqual({
      reviewer: 'li',
      signedAt: '2026-11-02T10:30:00+08:00',
    });
    expect(signatureOf({ signature: { reviewer: 'li', signedAt: '2026-11-02T10:30:00+08:00', comment: 'ok' } })).toEqual({
      reviewer: 'li',
      signedAt: '2026-11-02T10:30:00+08:00',
      comment: 'ok',
    });
    expect(signatureOf({ review: null })).toBeNull();
    expect(signatureOf({})).toBeNull();
    expect(signatureOf({ review: { signedBy: 'li' } })).toBeNull();
  });

  it('refuses (406) a document that is not a computed household report, naming what it lacks', () => {
    const report = json(wangHouseholdReport());
    expect(asHouseholdReport(report)).toBe(report);
    const partial = { reportNumber: 'R-1', verificationId: 'v', version: 1, conclusion: 'incomplete', sources: [] };
    let refused: unknown;
    try {
      asHouseholdReport(partial);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GatewayException);
    expect((refused as GatewayException).code).toBe(GatewayExceptionCode.REPRESENTATION_NOT_AVAILABLE);
    expect((refused as GatewayException).detail).toContain('members');
    expect((refused as GatewayException).detail).toContain('available as application/json');
  });
});
