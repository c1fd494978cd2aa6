import { auditChain } from '../../../../libs/domain/src/audit/testing/audit-entries';
import { CSV_COLUMNS, csvCell, csvHeader, csvRow } from './audit-csv';

describe('audit CSV', () => {
  it.each<[string | number | null, string]>([
    [null, ''],
    [42, '42'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('writes %p as %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes a header and one line per entry with as many cells', () => {
    const [entry] = auditChain([{}]);
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    const row = csvRow(entry);
    expect(row.endsWith('\r\n')).toBe(true);
    expect(row.trimEnd().split(',')).toHaveLength(CSV_COLUMNS.length);
    expect(row).toContain('500115********1234');
    expect(row).not.toContain(entry.subjectHashes[0]);
  });
});
