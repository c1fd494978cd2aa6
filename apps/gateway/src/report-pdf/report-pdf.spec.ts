import { maskIdentityNumber } from '@verihub/domain';
import { renderReportPdf, reportPdfFileName } from './report-pdf';
import { compact, extractPdfText, type PdfText } from './testing/pdf-text';
import { manyRecordsReport, WANG, WANG_REPORT_NUMBER, wangHouseholdReport } from './testing/sample-reports';

/** The compact text's first match of `pattern`, e.g. one table row. */
function rowMatching(text: string, pattern: string): RegExpMatchArray | null {
  return compact(text).match(new RegExp(pattern));
}

describe('renderReportPdf (the printed household report)', () => {
  const report = wangHouseholdReport();
  let pdf: Buffer;
  let read: PdfText;

  beforeAll(async () => {
    pdf = await renderReportPdf(report);
    read = extractPdfText(pdf);
  });

  it('is an A4 PDF whose text a reader can copy, in Chinese', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(read.text).toContain('居民家庭经济状况核对报告');
    expect(read.text).toContain(`报告编号：${WANG_REPORT_NUMBER}`);
    expect(read.text).toContain('出具日期：2026年11月01日');
    expect(compact(read.text)).toContain('救助项目Programme最低生活保障（低保）');
    expect(compact(read.text)).toContain('核对事由Purpose申请审核（新申请）');
    expect(compact(read.text)).toContain('2025-11至2026-10（12个月）');
  });

  it('lists every member by name, relation, identity number and status', () => {
    const text = compact(read.text);
    expect(text).toContain(`1王建国申请人${WANG.applicant.idNumber}城镇一致健在是`);
    expect(text).toContain(`2李秀英配偶${WANG.spouse.idNumber}`);
    expect(text).toMatch(new RegExp(`3王小明子女${WANG.child.idNumber}城镇姓名不符（户籍登记为“王晓明”）`));
    expect(text).toMatch(new RegExp(`4赵桂兰父母${WANG.parent.idNumber}农村一致已死亡（2026-03-14）否`));
  });

  it('has one row per source with its department, status, record count and answer time, the late one marked', () => {
    const expected: Array<[string, string]> = [
      ['公安机关', '已答复7(2026-11-01)?09:12:05'],
      ['税务部门', '已答复25(2026-11-01)?09:14:41'],
      ['不动产登记机构', '已答复2(2026-11-01)?11:58:10逾期答复'],
      ['住房公积金管理中心', '已答复19'],
      ['银行业金融机构中国建设银行', '超时—截止时未答复'],
      ['银行业金融机构中国工商银行', '已答复3'],
    ];
    for (const [department, status] of expected) {
      expect(rowMatching(read.text, `${department}[^\\d]{0,30}?${status}`)).not.toBeNull();
    }
  });

  it('prints income in yuan from integer fen: per category, per member, per capita, month by month', () => {
    expect(report.income.monthlyPerCapita).toBe(286_458); // the figure the sample's header works out by hand
    const text = compact(read.text);
    expect(text).toContain('家庭人均月收入2,864.58元');
    expect(text).toContain('家庭月均总收入8,593.75元');
    expect(text).toContain('王建国（申请人）6,090.000.00103.75—6,193.75');
    expect(text).toContain('家庭合计7,990.000.00103.75500.00*8,593.75');
    expect(text).toContain('按住房公积金缴存基数估算工资的月份：李秀英2026-05至2026-10');
    expect(text).toContain('2026-069,890.000.001,245.00500.0011,635.00含估算');
  });

  it('prints assets: banks with the timed-out one not counted, provident fund not counted, vehicles counted or exempt, properties', () => {
    const text = compact(read.text);
    expect(text).toContain('中国建设银行超时—未答复，未计入');
    expect(text).toContain('中国工商银行已答复238,123.45');
    expect(text).toContain('金融资产合计（计入）38,123.45');
    expect(text).toContain('住房公积金账户余额合计23,456.00元，仅作列示，不计入金融资产');
    expect(text).toContain('渝A12345小型汽车计入');
    expect(text).toContain('渝B6789X摩托车不计入（政策豁免车型）');
    expect(text).not.toContain('渝A00001'); // scrapped
    expect(text).toContain('人均住宅建筑面积40.50m²');
    expect(text).not.toMatch(/6217\d{8}/); // account numbers are masked
  });

  it('states the policy, the four tests with value against limit, and the conclusion with the legal note', () => {
    const text = compact(read.text);
    expect(text).toContain('保障标准（城镇）780.00元/人·月');
    expect(text).toContain('780.00元×24个月×3人=56,160.00元');
    expect(text).toContain('家庭收入家庭人均月收入（元）2,864.58<780.00无法判断未答复：中国建设银行（超时）');
    expect(text).toContain('金融资产家庭金融资产（元）38,123.45≤56,160.00无法判断');
    expect(text).toContain('机动车辆计入车辆（辆）1≤0未通过');
    expect(text).toContain('不动产（房产）住宅（套）2≤1未通过');
    expect(text).toContain('非住宅（套）0≤0通过');
    expect(text).toContain('核对结论：超出条件范围');
    expect(text).toContain('只核对、不认定');
    expect(text).toContain('由民政部门依法审核确认');
  });

  it('lists the discrepancies with declared, verified and tolerance', () => {
    const text = compact(read.text);
    expect(text).toContain('收入少报工资性收入（月均）3,000.007,990.00799.004,990.00');
    expect(text).toContain('金融资产少报金融资产合计10,000.0038,123.453,812.3428,123.45');
    expect(text).toContain('车辆未申报家庭0辆2辆—2辆');
    expect(text).toContain(`姓名与户籍登记不符王小明（${maskIdentityNumber(WANG.child.idNumber)}）`);
    expect(text).toContain('家庭成员已死亡赵桂兰');
  });

  it('leaves the signature block empty to sign by hand when the version is not reviewed', () => {
    const text = compact(read.text);
    expect(text).toContain('经办人（签字）日期审核人（签字）审核日期审核意见');
    expect(text).toContain('核对机构（盖章）');
    expect(text).not.toContain('电子签署');
  });

  it('numbers every page "第 N 页 / 共 M 页" and carries the confidentiality note on each', () => {
    expect(read.pageCount).toBeGreaterThan(1);
    read.pages.forEach((page, i) => {
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${read.pageCount} 页`);
      expect(page).toContain('本报告仅限本案使用');
    });
  });

  it('traces every income figure to its department records in the appendix', () => {
    const appendix = compact(read.pages.slice(read.pages.findIndex((p) => p.includes('收入来源记录明细'))).join(''));
    const trace = report.income.sources.find((s) => s.category === 'wage' && s.memberIndex === 0)!;
    for (const record of trace.records) expect(appendix).toContain(record.recordId);
    expect(appendix).toContain('小计：王建国工资性收入（核算期合计）73,080.00');
    expect(appendix).toContain('小计：李秀英工资性收入（核算期合计）22,800.00');
  });

  it('prints the reviewer’s signature when the version is signed', async () => {
    const signed = extractPdfText(
      await renderReportPdf(report, { signature: { reviewer: 'reviewer', signedAt: '2026-11-02T02:30:00Z', comment: '经复核，数据来源完整。' } }),
    );
    const text = compact(signed.text);
    expect(text).toContain('审核人（签字）reviewer（电子签署）审核日期2026-11-0210:30');
    expect(text).toContain('审核意见经复核，数据来源完整。');
  });

  it('masks identity numbers on request', async () => {
    const masked = extractPdfText(await renderReportPdf(report, { identityNumbers: 'masked' }));
    expect(masked.text).toContain(maskIdentityNumber(WANG.applicant.idNumber));
    for (const m of Object.values(WANG)) expect(masked.text).not.toContain(m.idNumber);
  });

  it('gives the same bytes for the same report, with the creation date taken from issuedAt', async () => {
    expect((await renderReportPdf(report)).equals(pdf)).toBe(true);
    expect(pdf.toString('latin1')).toContain('(D:20261101040000Z)'); // 2026-11-01T12:00:00+08:00
    const later = await renderReportPdf(wangHouseholdReport({ issuedAt: '2026-11-03T08:00:00+08:00' }));
    expect(later.toString('latin1')).toContain('(D:20261103000000Z)');
    expect(later.toString('latin1')).not.toContain('(D:20261101040000Z)');
  });

  it('names the file after the report number and version', () => {
    expect(reportPdfFileName(report)).toBe(`${WANG_REPORT_NUMBER}-v1.pdf`);
    expect(reportPdfFileName({ reportNumber: 'HC/1 "x"', version: 3 })).toBe('HC_1__x_-v3.pdf');
  });
});

describe('renderReportPdf with many records', () => {
  it('breaks long tables across pages, repeating their header, and counts the pages right', async () => {
    const small = extractPdfText(await renderReportPdf(manyRecordsReport(1)));
    const large = manyRecordsReport(6);
    const read = extractPdfText(await renderReportPdf(large));

    expect(read.pageCount).toBeGreaterThan(small.pageCount + 3);
    read.pages.forEach((page, i) => expect(page).toContain(`第 ${i + 1} 页 / 共 ${read.pageCount} 页`));
    expect(read.text).not.toContain(`共 ${read.pageCount + 1} 页`);

    // Every record of the appendix is printed, once, and continuation pages repeat the caption and header.
    const records = large.income.sources.flatMap((s) => s.records.map((r) => r.recordId));
    expect(records).toHaveLength(6 * 12 * 3);
    const text = compact(read.text);
    for (const id of records) expect(text.split(id).length - 1).toBe(1);
    const continued = read.pages.filter((p) => compact(p).includes('附表1收入来源记录（续）'));
    expect(continued.length).toBeGreaterThanOrEqual(4);
    for (const page of continued) expect(compact(page)).toContain('成员类别数据来源期间记录类型计入金额记录编号');
  });
});
