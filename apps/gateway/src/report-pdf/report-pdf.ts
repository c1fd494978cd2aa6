/**
 * The printed household report (居民家庭经济状况核对报告): a pure function from the report document
 * (api.md "Report", HouseholdReport of @verihub/domain) and an optional review signature to the bytes of an
 * A4 PDF. No HTTP, no database, no clock: the PDF's creation date is the report's issuedAt, so the same
 * report (and signature) always gives the same bytes.
 *
 * Identity numbers: the members table prints them in full by default. The PDF is the case document the
 * civil-affairs department decides on; the officer matches each member against the household register and
 * the application, which needs the whole number, and the JSON the PDF is made from already serves it to the
 * same authorised readers. Everywhere else a member is named by name, and account numbers are masked (a
 * decision needs balances, not account numbers). `identityNumbers: 'masked'` prints 110105********002X instead.
 */
import PDFDocument from 'pdfkit';
import { maskIdentityNumber, type HouseholdReport } from '@verihub/domain';
import { FONT_BOLD, FONT_REGULAR, PdfCanvas } from './pdf-canvas';
import { instantOf } from './report-pdf.format';
import { reportFonts } from './report-pdf.fonts';
import { REPORT_TITLE, REPORT_TITLE_EN } from './report-pdf.labels';
import { ReportSections } from './report-pdf.sections';
import type { ReportPdfOptions } from './report-pdf.types';

export type { ReportPdfOptions, ReportSignature } from './report-pdf.types';

export const PDF_MEDIA_TYPE = 'application/pdf';

/** The file name a download of this report version gets: "<reportNumber>-v<version>.pdf". */
export function reportPdfFileName(report: Pick<HouseholdReport, 'reportNumber' | 'version'>): string {
  const safe = String(report.reportNumber).replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe}-v${report.version}.pdf`;
}

export function renderReportPdf(report: HouseholdReport, options: ReportPdfOptions = {}): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    try {
      const fonts = reportFonts();
      const created = instantOf(report.issuedAt) ?? new Date(0);
      const doc = new PDFDocument({
        size: 'A4',
        margins: { top: 62, bottom: 64, left: 52, right: 52 },
        bufferPages: true,
        pdfVersion: '1.7',
        lang: 'zh-CN',
        displayTitle: true,
        info: {
          Title: `${REPORT_TITLE} ${report.reportNumber}（第 ${report.version} 版）`,
          Subject: REPORT_TITLE_EN,
          Author: 'verihub',
          Creator: 'verihub',
          Producer: 'verihub',
          CreationDate: created,
          ModDate: created,
        },
      });
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);

      doc.registerFont(FONT_REGULAR, fonts.regular);
      doc.registerFont(FONT_BOLD, fonts.bold);
      doc.font(FONT_REGULAR);

      const canvas = new PdfCanvas(doc);
      const members = report.members.map((m) => ({ ...m, masked: maskIdentityNumber(m.idNumber) }));
      new ReportSections(canvas, report, members, options).render();
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
