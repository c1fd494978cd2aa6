/** The options of renderReportPdf (report-pdf.ts). */

/** A reviewer's signature on this report version (the review of the report issue), printed in the signature block. */
export interface ReportSignature {
  /** Who signed (display name or username). */
  reviewer: string;
  /** ISO 8601 with offset. */
  signedAt: string;
  comment?: string;
}

export interface ReportPdfOptions {
  /** The review of this version; without one the block is left empty to be signed by hand. */
  signature?: ReportSignature | null;
  /** Identity numbers in the members table: 'full' (default) or 'masked' (first 6 and last 4). */
  identityNumbers?: 'full' | 'masked';
}
