/**
 * The CJK font the report is set in: Noto Sans Hans (Noto Sans CJK SC, 30,000+ glyphs: all of CJK Unified
 * Ideographs and Extension A, so rare characters in names print) from the npm package @embedpdf/fonts-sc,
 * SIL Open Font License 1.1. No system font is assumed. PDFKit embeds only the glyphs a report uses.
 *
 * The path is resolved through Node's own resolver at run time (createRequire), so it works from the
 * sources under jest and from the webpack bundle in dist/ alike (node_modules stay external).
 */
import { readFileSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';

export const FONT_PACKAGE = '@embedpdf/fonts-sc';
export const REGULAR_FONT_FILE = 'NotoSansHans-Regular.otf';
export const BOLD_FONT_FILE = 'NotoSansHans-Bold.otf';

export interface ReportFonts {
  regular: Buffer;
  bold: Buffer;
}

/** The directory holding the package's .otf files (the package exports only its JS entry, not its files). */
export function fontDirectory(): string {
  const nodeRequire = createRequire(__filename);
  const entry = nodeRequire.resolve(FONT_PACKAGE); // <package>/dist/index.cjs
  return join(dirname(entry), '..', 'fonts');
}

let cached: ReportFonts | null = null;

/** The font files, read once per process (about 8 MB each). */
export function reportFonts(): ReportFonts {
  if (!cached) {
    const dir = fontDirectory();
    cached = { regular: readFileSync(join(dir, REGULAR_FONT_FILE)), bold: readFileSync(join(dir, BOLD_FONT_FILE)) };
  }
  return cached;
}
