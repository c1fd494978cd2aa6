import { Injectable } from '@nestjs/common';

export interface RenderedReport {
  contentType: string;
  body: Buffer;
  /** Suggested file name for Content-Disposition. */
  fileName: string;
}

export interface ReportToRender {
  verificationId: string;
  version: number;
  /** The report document (api.md "Report"). */
  report: Record<string, unknown>;
}

/**
 * The seam for other representations of a report (the PDF of the report issue): the controller asks the
 * renderer for any media type other than JSON, and answers 406 when the renderer does not produce it.
 */
export abstract class ReportRenderer {
  /** Media types this renderer produces, e.g. ["application/pdf"]. */
  abstract readonly mediaTypes: readonly string[];
  abstract render(input: ReportToRender, mediaType: string): Promise<RenderedReport>;
}

/** Until the PDF work lands: no other representation than JSON. */
@Injectable()
export class JsonOnlyReportRenderer extends ReportRenderer {
  readonly mediaTypes: readonly string[] = [];

  render(): Promise<RenderedReport> {
    return Promise.reject(new Error('no report renderer is installed'));
  }
}
