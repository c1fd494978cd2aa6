/** A reviewer's signature as the report shows it (`review` of GET …/report; the PDF's signature block). */
export interface ReportReview {
  /** Username of the reviewer. */
  signedBy: string;
  /** ISO 8601 with offset. */
  signedAt: string;
  comment: string | null;
}
