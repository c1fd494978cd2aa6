/**
 * A small layout layer over PDFKit for a printed form: section headings, paragraphs, bordered tables and
 * label/value grids that break across pages (a table's header row is repeated on each page it continues on,
 * a row is never split), plus the running header and footer written once every page exists.
 */
import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

export const FONT_REGULAR = 'cjk';
export const FONT_BOLD = 'cjk-bold';

export const COLORS = {
  text: '#000000',
  muted: '#555555',
  rule: '#333333',
  grid: '#7a7a7a',
  headerFill: '#e8ecf1',
  labelFill: '#f3f4f6',
  totalFill: '#f7f7f2',
  fail: '#a40000',
} as const;

export type Align = 'left' | 'center' | 'right';

export interface Column {
  header: string;
  /** Relative width; the columns share the content width in proportion. */
  weight: number;
  align?: Align;
}

export interface Cell {
  text: string;
  /** Columns this cell spans (grid rows). */
  span?: number;
  bold?: boolean;
  fill?: string;
  align?: Align;
  color?: string;
}

export interface Row {
  cells: Array<string | Cell>;
  /** A total or subtotal row: bold on a light fill. */
  total?: boolean;
  /** Minimum height, e.g. room for a handwritten signature. */
  minHeight?: number;
}

export interface TableOptions {
  fontSize?: number;
  /** Printed above the table, and again (with "（续）") above its continuation on the next page. */
  caption?: string;
  /** Repeat the header row on each page the table continues on (default true). */
  repeatHeader?: boolean;
  /** No header row at all (label/value grids). */
  headerless?: boolean;
  /** Start the table on a new page rather than split it, when it fits on one page. */
  keepTogether?: boolean;
}

const PAD_X = 4;
const PAD_Y = 3.2;

export class PdfCanvas {
  readonly left: number;
  readonly width: number;

  constructor(readonly doc: Doc) {
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  get right(): number {
    return this.left + this.width;
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  /** The lowest y content may reach on this page. */
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  get top(): number {
    return this.doc.page.margins.top;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  /** A new page unless `height` still fits below the current position. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  space(height: number): void {
    this.y = Math.min(this.y + height, this.bottom);
  }

  font(bold: boolean, size: number): this {
    this.doc.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(size);
    return this;
  }

  textHeight(text: string, width: number, bold: boolean, size: number): number {
    this.font(bold, size);
    return this.doc.heightOfString(text === '' ? ' ' : text, { width, lineGap: 1 });
  }

  /** A section heading ("一、家庭成员情况"), kept with at least `keep` points of what follows. */
  heading(text: string, keep = 70): void {
    this.space(6);
    this.ensure(22 + keep);
    this.font(true, 11.5);
    this.doc.fillColor(COLORS.text).text(text, this.left, this.y, { width: this.width, lineBreak: false });
    const lineY = this.y + 2;
    this.doc.moveTo(this.left, lineY).lineTo(this.right, lineY).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    this.y = lineY + 6;
  }

  /** A sub-heading ("（一）金融资产"). */
  subheading(text: string, keep = 50): void {
    this.space(3);
    this.ensure(16 + keep);
    this.font(true, 9.5);
    this.doc.fillColor(COLORS.text).text(text, this.left, this.y, { width: this.width, lineBreak: false });
    this.y += 4;
  }

  /** Wrapped text across the content width; breaks pages between lines as PDFKit does. */
  paragraph(text: string, options: { size?: number; bold?: boolean; color?: string; indent?: number; align?: Align; gap?: number } = {}): void {
    const size = options.size ?? 9;
    const indent = options.indent ?? 0;
    const width = this.width - indent;
    const height = this.textHeight(text, width, options.bold ?? false, size);
    // Keep short paragraphs whole; let long ones flow (PDFKit continues them on the next page).
    if (height < 80) this.ensure(height);
    this.font(options.bold ?? false, size);
    this.doc.fillColor(options.color ?? COLORS.text).text(text, this.left + indent, this.y, {
      width,
      lineGap: 1,
      align: options.align ?? 'left',
    });
    this.y += options.gap ?? 3;
  }

  /** A numbered list with hanging indents ("1. …"), each item kept whole on a page. */
  numbered(items: readonly string[], options: { size?: number; color?: string; prefix?: string } = {}): void {
    const size = options.size ?? 9;
    const indent = size * 1.6;
    if (options.prefix) {
      this.ensure(size * 2.6);
      this.font(false, size);
      this.doc.fillColor(options.color ?? COLORS.text).text(`${options.prefix}：`, this.left, this.y, { width: this.width, lineBreak: false });
    }
    items.forEach((item, i) => {
      const height = this.textHeight(item, this.width - indent, false, size);
      this.ensure(height);
      const y = this.y;
      this.font(false, size);
      this.doc.fillColor(options.color ?? COLORS.text).text(`${i + 1}.`, this.left, y, { width: indent, lineBreak: false });
      this.doc.text(item, this.left + indent, y, { width: this.width - indent, lineGap: 1 });
      this.y = y + height + 1;
    });
    this.y += 3;
  }

  /** A bordered table with a shaded header row; long tables continue on the next pages. */
  table(columns: readonly Column[], rows: readonly Row[], options: TableOptions = {}): void {
    const size = options.fontSize ?? 8.5;
    const total = columns.reduce((sum, c) => sum + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.width);
    const header: Row = { cells: columns.map((c) => ({ text: c.header, bold: true, fill: COLORS.headerFill, align: 'center' as Align })) };
    const repeatHeader = options.repeatHeader ?? true;

    const drawCaption = (continued: boolean) => {
      if (!options.caption) return;
      this.font(true, 8.5);
      this.doc.fillColor(COLORS.text).text(continued ? `${options.caption}（续）` : options.caption, this.left, this.y, {
        width: this.width,
        lineBreak: false,
      });
      this.y += 2;
    };
    const captionHeight = options.caption ? this.textHeight(options.caption, this.width, true, 8.5) + 2 : 0;
    const headerHeight = options.headerless ? 0 : this.rowHeight(header, widths, columns, size);

    const heights = rows.map((row) => this.rowHeight(row, widths, columns, size));
    const whole = captionHeight + headerHeight + heights.reduce((a, b) => a + b, 0);
    const fitsOnAPage = whole <= this.bottom - this.top;
    this.ensure(options.keepTogether && fitsOnAPage ? whole : captionHeight + headerHeight + (heights[0] ?? 0));
    drawCaption(false);
    if (!options.headerless) this.drawRow(header, widths, columns, size, headerHeight);

    rows.forEach((row, i) => {
      const height = heights[i];
      if (this.y + height > this.bottom) {
        this.newPage();
        if (repeatHeader && !options.headerless) {
          drawCaption(true);
          this.drawRow(header, widths, columns, size, headerHeight);
        }
      }
      this.drawRow(row, widths, columns, size, height);
    });
    this.y += 4;
  }

  private cellsOf(row: Row, widths: readonly number[], columns: readonly Column[]): Array<Cell & { x: number; w: number }> {
    const placed: Array<Cell & { x: number; w: number }> = [];
    let index = 0;
    let x = this.left;
    for (const raw of row.cells) {
      const cell: Cell = typeof raw === 'string' ? { text: raw } : raw;
      const span = Math.max(1, Math.min(cell.span ?? 1, widths.length - index));
      const w = widths.slice(index, index + span).reduce((a, b) => a + b, 0);
      placed.push({
        ...cell,
        align: cell.align ?? (span === 1 ? columns[index]?.align : undefined) ?? 'left',
        bold: cell.bold ?? row.total ?? false,
        fill: cell.fill ?? (row.total ? COLORS.totalFill : undefined),
        x,
        w,
      });
      x += w;
      index += span;
    }
    return placed;
  }

  private rowHeight(row: Row, widths: readonly number[], columns: readonly Column[], size: number): number {
    const heights = this.cellsOf(row, widths, columns).map((c) => this.textHeight(c.text, c.w - 2 * PAD_X, c.bold ?? false, size));
    return Math.max(row.minHeight ?? 0, Math.max(...heights, 0) + 2 * PAD_Y);
  }

  private drawRow(row: Row, widths: readonly number[], columns: readonly Column[], size: number, height: number): void {
    const y = this.y;
    for (const cell of this.cellsOf(row, widths, columns)) {
      if (cell.fill) this.doc.rect(cell.x, y, cell.w, height).fill(cell.fill);
      this.doc.rect(cell.x, y, cell.w, height).lineWidth(0.5).strokeColor(COLORS.grid).stroke();
      const textHeight = this.textHeight(cell.text, cell.w - 2 * PAD_X, cell.bold ?? false, size);
      const textY = row.minHeight ? y + PAD_Y : y + (height - textHeight) / 2;
      this.font(cell.bold ?? false, size);
      this.doc.fillColor(cell.color ?? COLORS.text).text(cell.text, cell.x + PAD_X, textY, {
        width: cell.w - 2 * PAD_X,
        align: cell.align,
        lineGap: 1,
      });
    }
    this.y = y + height;
  }

  /**
   * Writes `draw` on every page once the document is complete (PDFKit must buffer pages): the running
   * header and the footer with "第 N 页 / 共 M 页". Writing in the margins never adds a page.
   */
  decoratePages(draw: (page: { number: number; count: number }) => void): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const margins = { ...this.doc.page.margins };
      this.doc.page.margins = { ...margins, top: 0, bottom: 0 };
      draw({ number: i - range.start + 1, count: range.count });
      this.doc.page.margins = margins;
    }
  }
}
