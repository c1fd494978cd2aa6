/**
 * The text of a PDF, page by page, as a reader's copy-and-paste would give it (test support).
 *
 * Extraction uses pdf-parse (Mozilla pdf.js). pdf.js loads its worker with a dynamic ESM import, which jest's
 * CommonJS sandbox refuses without --experimental-vm-modules, so the extraction runs in a plain Node child
 * process: the same library, outside the sandbox.
 */
import { execFileSync } from 'child_process';
import { resolve } from 'path';

export interface PdfText {
  /** Page count as the PDF's page tree states it. */
  pageCount: number;
  /** Text of each page, in order. */
  pages: string[];
  /** Every page's text, joined. */
  text: string;
}

const EXTRACT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try {
    const info = await parser.getInfo();
    const result = await parser.getText({ pageJoiner: '' });
    process.stdout.write(JSON.stringify({ pageCount: info.total, pages: result.pages.map((p) => p.text) }));
  } finally {
    await parser.destroy();
  }
});
`;

const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

export function extractPdfText(pdf: Buffer): PdfText {
  const out = execFileSync(process.execPath, ['-e', EXTRACT], { input: pdf, cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  const parsed = JSON.parse(out.toString('utf8')) as { pageCount: number; pages: string[] };
  return { ...parsed, text: parsed.pages.join('\n') };
}

/** Text with all whitespace removed, for assertions that must not depend on how a line was wrapped. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
