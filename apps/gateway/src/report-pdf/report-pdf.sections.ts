/**
 * The sections of the printed report, in the order an officer reads it: the case, the members, what each
 * department answered, income, assets, the policy and the four tests, the conclusion, what the household
 * declared differently, notes, the signature block, and an appendix tracing every income figure to the
 * department records behind it.
 */
import type {
  Discrepancy,
  HouseholdReport,
  IncomeTrace,
  ReportMember,
  ReportNote,
  ReportSource,
  ReportTestName,
  TestCheck,
  TestDetail,
  TestOutcome,
} from '@verihub/domain';
import { COLORS, PdfCanvas, type Cell, type Column, type Row } from './pdf-canvas';
import {
  chineseDate,
  decimal,
  fractionAsPercent,
  maskAccountNumber,
  monthList,
  monthRange,
  percent,
  shanghaiDateTime,
  yuan,
  yuanOrDash,
} from './report-pdf.format';
import {
  BASIS_NOTE,
  CONCLUSION_EXPLANATIONS,
  CONCLUSION_LABELS,
  CONFIDENTIALITY_NOTE,
  DEPARTMENT_CONTENT,
  DEPARTMENT_LABELS,
  DISCREPANCY_LABELS,
  FUND_ACCOUNT_STATUS_LABELS,
  HUKOU_LABELS,
  IDENTITY_LABELS,
  INCOME_CATEGORY_LABELS,
  LEGAL_NOTE,
  MEASURE_LABELS,
  OUTCOME_LABELS,
  PROGRAM_LABELS,
  PRODUCT_LABELS,
  PROPERTY_USE_LABELS,
  PURPOSE_LABELS,
  RECORD_KIND_LABELS,
  RELATION_LABELS,
  REPORT_TITLE,
  REPORT_TITLE_EN,
  SOURCE_STATUS_LABELS,
  TEST_LABELS,
  VEHICLE_TYPE_LABELS,
  VITAL_LABELS,
  label,
  providerName,
} from './report-pdf.labels';
import type { ReportPdfOptions } from './report-pdf.types';

export type PrintedMember = ReportMember & { masked: string };

const TESTS: readonly ReportTestName[] = ['income', 'financialAssets', 'vehicles', 'realEstate'];
const CATEGORIES = ['wage', 'business', 'property'] as const;

const label4: Column[] = [
  { header: '', weight: 1.6 },
  { header: '', weight: 2.3 },
  { header: '', weight: 1.6 },
  { header: '', weight: 2.3 },
];

function labelCell(text: string): Cell {
  return { text, fill: COLORS.labelFill, color: COLORS.muted };
}

function outcomeCell(outcome: TestOutcome | null | undefined): Cell {
  const text = label(OUTCOME_LABELS, outcome ?? 'unknown');
  return { text, bold: true, align: 'center', color: outcome === 'fail' ? COLORS.fail : COLORS.text };
}

export class ReportSections {
  constructor(
    private readonly c: PdfCanvas,
    private readonly r: HouseholdReport,
    private readonly members: readonly PrintedMember[],
    private readonly options: ReportPdfOptions,
  ) {}

  render(): void {
    this.titleBlock();
    this.caseInformation();
    this.membersSection();
    this.sourcesSection();
    this.incomeSection();
    this.assetsSection();
    this.policyAndTestsSection();
    this.conclusionSection();
    this.discrepanciesSection();
    this.notesSection();
    this.signatureSection();
    this.incomeRecordsAppendix();
    this.c.decoratePages((page) => this.decorate(page.number, page.count));
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private memberName(index: number | undefined): string {
    if (index === undefined) return '—';
    return this.members[index]?.name ?? '—';
  }

  /** The member a masked identity number names (a discrepancy carries only the masked form). */
  private memberByMasked(masked: string | undefined): string {
    if (!masked) return '—';
    const names = this.members.filter((m) => m.masked === masked).map((m) => m.name);
    return names.length > 0 ? `${names.join('、')}（${masked}）` : masked;
  }

  private idNumberOf(member: PrintedMember): string {
    return this.options.identityNumbers === 'masked' ? member.masked : member.idNumber;
  }

  private get appliedStandard(): number | null {
    return this.r.policy?.appliedStandardMonthly ?? null;
  }

  // ---------------------------------------------------------------------------------------------- page 1

  private titleBlock(): void {
    const { c } = this;
    const doc = c.doc;
    // A small classification mark, as official forms carry one.
    c.font(true, 8);
    const mark = '敏感个人信息　注意保密';
    const markWidth = doc.widthOfString(mark) + 10;
    doc.rect(c.left, c.top - 20, markWidth, 14).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    doc.fillColor(COLORS.text).text(mark, c.left + 5, c.top - 17, { lineBreak: false });
    c.font(false, 8);
    doc.fillColor(COLORS.muted).text(`第 ${this.r.version} 版`, c.left, c.top - 17, { width: c.width, align: 'right', lineBreak: false });

    c.y = c.top + 6;
    c.font(true, 20);
    doc.fillColor(COLORS.text).text(REPORT_TITLE, c.left, c.y, { width: c.width, align: 'center', characterSpacing: 1.5 });
    c.y += 1;
    c.font(false, 8.5);
    doc.fillColor(COLORS.muted).text(REPORT_TITLE_EN, c.left, c.y, { width: c.width, align: 'center' });
    c.y += 6;
    c.font(false, 9.5);
    doc
      .fillColor(COLORS.text)
      .text(`报告编号：${this.r.reportNumber}　　　出具日期：${chineseDate(this.r.issuedAt)}`, c.left, c.y, { width: c.width, align: 'center' });
    c.y += 5;
    doc.moveTo(c.left, c.y).lineTo(c.right, c.y).lineWidth(1.2).strokeColor(COLORS.rule).stroke();
    doc.moveTo(c.left, c.y + 2.5).lineTo(c.right, c.y + 2.5).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
    c.y += 10;
  }

  private caseInformation(): void {
    const r = this.r;
    const policy = r.policy;
    const policyText = policy
      ? `${policy.regionCode} · ${label(PROGRAM_LABELS, policy.program)} · 第 ${policy.version} 版（${policy.effectiveFrom} 起施行）`
      : '—';
    const conclusion: Cell = {
      text: label(CONCLUSION_LABELS, r.conclusion),
      bold: true,
      color: r.conclusion === 'exceeds_limits' ? COLORS.fail : COLORS.text,
    };
    const rows: Row[] = [
      { cells: [labelCell('救助项目 Programme'), label(PROGRAM_LABELS, r.program), labelCell('核对事由 Purpose'), label(PURPOSE_LABELS, r.purpose)] },
      { cells: [labelCell('行政区划 Region'), r.regionCode, labelCell('户籍类别 Hukou'), label(HUKOU_LABELS, r.household?.hukouType)] },
      {
        cells: [
          labelCell('核对基准日 As of'),
          r.asOf,
          labelCell('收入核算期 Lookback'),
          r.lookback ? `${monthRange(r.lookback.from, r.lookback.to)}（${r.lookback.months} 个月）` : '—',
        ],
      },
      {
        cells: [
          labelCell('家庭人口 Members'),
          r.household ? `申报 ${r.household.requestedMemberCount} 人，计入 ${r.household.memberCount} 人` : '—',
          labelCell('报告版本 Version'),
          `第 ${r.version} 版`,
        ],
      },
      {
        cells: [labelCell('出具时间 Issued'), `${shanghaiDateTime(r.issuedAt, false)}（北京时间）`, labelCell('核对结论 Result'), conclusion],
      },
      { cells: [labelCell('适用政策 Policy'), { text: policyText, span: 3 }] },
      { cells: [labelCell('核对编号 Case'), { text: r.verificationId, span: 3 }] },
    ];
    this.c.table(label4, rows, { headerless: true, fontSize: 9, keepTogether: true });
    this.c.paragraph(BASIS_NOTE, { size: 8, color: COLORS.muted, gap: 4 });
  }

  // ---------------------------------------------------------------------------------------------- 一 members

  private membersSection(): void {
    this.c.heading('一、家庭成员情况 Household members');
    const columns: Column[] = [
      { header: '序号', weight: 4, align: 'center' },
      { header: '姓名', weight: 7.5, align: 'center' },
      { header: '与申请人关系', weight: 9.5, align: 'center' },
      { header: '公民身份号码', weight: 16, align: 'center' },
      { header: '户籍', weight: 5, align: 'center' },
      { header: '身份核验', weight: 10.5, align: 'center' },
      { header: '存亡状态', weight: 9.5, align: 'center' },
      { header: '计入家庭人口', weight: 8.5, align: 'center' },
    ];
    const rows: Row[] = this.members.map((m, i) => ({
      cells: [
        String(i + 1),
        m.name,
        label(RELATION_LABELS, m.relation),
        this.idNumberOf(m),
        m.hukouType ? label(HUKOU_LABELS, m.hukouType) : '—',
        m.identity === 'mismatch' && m.registeredName
          ? `${label(IDENTITY_LABELS, m.identity)}\n（户籍登记为“${m.registeredName}”）`
          : label(IDENTITY_LABELS, m.identity),
        m.vitalStatus === 'deceased' && m.deathDate ? `${label(VITAL_LABELS, m.vitalStatus)}\n（${m.deathDate}）` : label(VITAL_LABELS, m.vitalStatus),
        m.counted ? '是' : '否',
      ],
    }));
    this.c.table(columns, rows);
    const excluded = this.members.filter((m) => !m.counted);
    if (excluded.length > 0) {
      this.c.paragraph(`注：${excluded.map((m) => m.name).join('、')} 经公安机关登记为死亡，不计入家庭人口，其记录不参与核算。`, {
        size: 8,
        color: COLORS.muted,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------- 二 sources

  private sourcesSection(): void {
    this.c.heading('二、部门数据答复情况 Sources');
    const columns: Column[] = [
      { header: '序号', weight: 4, align: 'center' },
      { header: '数据提供单位', weight: 12.5, align: 'left' },
      { header: '核对内容', weight: 13.5, align: 'left' },
      { header: '答复状态', weight: 7, align: 'center' },
      { header: '记录数', weight: 5.5, align: 'center' },
      { header: '答复时间（北京时间）', weight: 14, align: 'center' },
      { header: '备注', weight: 11.5, align: 'left' },
    ];
    const rows: Row[] = (this.r.sources ?? []).map((s, i) => ({
      cells: [
        String(i + 1),
        s.department === 'bank' ? `${label(DEPARTMENT_LABELS, s.department)}\n${providerName(s.provider)}` : label(DEPARTMENT_LABELS, s.department),
        label(DEPARTMENT_CONTENT, s.department),
        { text: label(SOURCE_STATUS_LABELS, s.status), bold: s.status !== 'answered' && s.status !== 'no_record' },
        s.status === 'answered' || s.status === 'no_record' ? String(s.records) : '—',
        s.respondedAt ? shanghaiDateTime(s.respondedAt) : s.status === 'timeout' ? '截止时未答复' : '—',
        this.sourceRemark(s),
      ],
    }));
    this.c.table(columns, rows);
  }

  private sourceRemark(s: ReportSource): string {
    const parts: string[] = [];
    if (s.late) parts.push('逾期答复，已纳入本版');
    if (s.status === 'timeout') parts.push('超过答复期限，相关指标无法判断');
    if ((s.status === 'error' || s.status === 'not_queried') && s.reason) parts.push(`原因：${s.reason}`);
    if (s.status === 'pending') parts.push('尚未答复');
    return parts.join('；') || '—';
  }

  // ---------------------------------------------------------------------------------------------- 三 income

  private incomeSection(): void {
    const { c, r } = this;
    const income = r.income;
    c.heading('三、家庭收入情况 Income（月均，单位：元）');
    c.table(
      label4,
      [
        {
          cells: [labelCell('家庭月均总收入'), { text: `${yuan(income.monthlyTotal)} 元`, bold: true }, labelCell('家庭人均月收入'), { text: `${yuan(income.monthlyPerCapita)} 元`, bold: true }],
        },
        {
          cells: [
            labelCell('计入家庭人口'),
            `${r.household?.memberCount ?? '—'} 人`,
            labelCell('核算期收入合计'),
            income.lookbackSums ? `${yuan(income.lookbackSums.total)} 元（${r.lookback?.months ?? '—'} 个月）` : '—',
          ],
        },
      ],
      { headerless: true, fontSize: 9, keepTogether: true },
    );

    const columns: Column[] = [
      { header: '成员', weight: 9, align: 'center' },
      { header: '工资性收入', weight: 8, align: 'right' },
      { header: '经营净收入', weight: 8, align: 'right' },
      { header: '财产净收入', weight: 8, align: 'right' },
      { header: '转移性收入', weight: 8, align: 'right' },
      { header: '合计', weight: 8, align: 'right' },
    ];
    const rows: Row[] = this.members
      .filter((m) => m.counted)
      .map((m) => {
        const own = m.income ?? { wage: 0, business: 0, property: 0 };
        return {
          cells: [
            `${m.name}（${label(RELATION_LABELS, m.relation)}）`,
            yuan(own.wage),
            yuan(own.business),
            yuan(own.property),
            '—',
            yuan(own.wage + own.business + own.property),
          ],
        };
      });
    const by = income.byCategory;
    rows.push({
      total: true,
      cells: ['家庭合计', yuan(by.wage), yuan(by.business), yuan(by.property), `${yuan(by.transfer)}${income.transferUnverified ? '*' : ''}`, yuan(income.monthlyTotal)],
    });
    rows.push({
      total: true,
      cells: ['家庭人均', { text: `${yuan(income.monthlyPerCapita)}`, span: 5, align: 'right' }],
    });
    c.table(columns, rows, { caption: '表 3-1　分类别、分成员月均收入' });

    const deduction = r.policy?.employmentDeductionMonthly ?? 0;
    const notes = [
      '成员月均数分别四舍五入；家庭合计按核算期总额一次计算，与成员数相加可能有尾差。',
      `工资性收入为工资薪金和劳务报酬扣除个人所得税及个人缴存住房公积金后的数额${deduction > 0 ? `，并按政策每月扣减就业成本 ${yuan(deduction)} 元` : ''}。`,
      ...(income.transferUnverified ? ['* 转移性收入为家庭申报数，未经部门核实。'] : []),
    ];
    const estimated = this.members
      .filter((m) => (m.estimatedMonths ?? []).length > 0)
      .map((m) => `${m.name} ${monthList(m.estimatedMonths)}`);
    if (estimated.length > 0) notes.push(`无纳税记录、按住房公积金缴存基数估算工资的月份：${estimated.join('；')}。`);
    c.numbered(notes, { size: 8, color: COLORS.muted, prefix: '注' });

    if ((income.months ?? []).length > 0) {
      const monthColumns: Column[] = [
        { header: '月份', weight: 7, align: 'center' },
        { header: '工资性收入', weight: 8, align: 'right' },
        { header: '经营净收入', weight: 8, align: 'right' },
        { header: '财产净收入', weight: 8, align: 'right' },
        { header: '转移性收入', weight: 8, align: 'right' },
        { header: '合计', weight: 8, align: 'right' },
        { header: '备注', weight: 6, align: 'center' },
      ];
      const monthRows: Row[] = income.months.map((m) => ({
        cells: [m.month, yuan(m.wage), yuan(m.business), yuan(m.property), yuan(m.transfer), yuan(m.total), m.estimated ? '含估算' : ''],
      }));
      c.table(monthColumns, monthRows, { caption: '表 3-2　核算期逐月家庭收入', fontSize: 8 });
    }
  }

  // ---------------------------------------------------------------------------------------------- 四 assets

  private assetsSection(): void {
    const { c, r } = this;
    const assets = r.assets;
    c.heading('四、家庭财产情况 Assets');

    c.subheading('（一）金融资产（银行存款、理财、基金、证券）');
    const bankColumns: Column[] = [
      { header: '银行', weight: 12, align: 'left' },
      { header: '答复状态', weight: 7, align: 'center' },
      { header: '资产笔数', weight: 6, align: 'center' },
      { header: '余额合计（元）', weight: 10, align: 'right' },
    ];
    const accounts = assets.accounts ?? [];
    const bankRows: Row[] = accounts.map((a) => ({
      cells: answeredStatus(a.status)
        ? [providerName(a.provider), label(SOURCE_STATUS_LABELS, a.status), String(a.holdings.length), yuan(a.total)]
        : [providerName(a.provider), { text: label(SOURCE_STATUS_LABELS, a.status), bold: true }, '—', '未答复，未计入'],
    }));
    bankRows.push({ total: true, cells: [{ text: '金融资产合计（计入）', span: 3 }, yuan(assets.financialTotal)] });
    c.table(bankColumns, bankRows);

    const holdings = accounts.flatMap((a) => a.holdings.map((h) => ({ ...h, provider: a.provider })));
    if (holdings.length > 0) {
      const holdingColumns: Column[] = [
        { header: '成员', weight: 7, align: 'center' },
        { header: '银行', weight: 10, align: 'left' },
        { header: '账号', weight: 10, align: 'center' },
        { header: '类型', weight: 7, align: 'center' },
        { header: '余额/市值（元）', weight: 9, align: 'right' },
        { header: '截至日期', weight: 7, align: 'center' },
      ];
      c.table(
        holdingColumns,
        holdings.map((h) => ({
          cells: [this.memberName(h.memberIndex), providerName(h.provider), maskAccountNumber(h.accountNo), label(PRODUCT_LABELS, h.product), yuan(h.balanceFen), h.asOf],
        })),
        { caption: '金融资产明细', fontSize: 8 },
      );
    }

    c.subheading('（二）住房公积金');
    c.paragraph(`住房公积金账户余额合计 ${yuan(assets.providentFundBalance)} 元，仅作列示，不计入金融资产。`, { size: 9 });
    const funds = assets.providentFundAccounts ?? [];
    if (funds.length > 0) {
      c.table(
        [
          { header: '成员', weight: 7, align: 'center' },
          { header: '账号', weight: 10, align: 'center' },
          { header: '账户状态', weight: 6, align: 'center' },
          { header: '余额（元）', weight: 9, align: 'right' },
          { header: '截至日期', weight: 7, align: 'center' },
        ],
        funds.map((f) => ({
          cells: [this.memberName(f.memberIndex), maskAccountNumber(f.accountNo), label(FUND_ACCOUNT_STATUS_LABELS, f.status), yuan(f.balanceFen), f.asOf],
        })),
        { fontSize: 8 },
      );
    }

    c.subheading('（三）机动车辆');
    const vehicles = assets.vehicles ?? [];
    if (vehicles.length === 0) {
      c.paragraph('未查询到登记状态正常的机动车辆。', { size: 9 });
    } else {
      c.table(
        [
          { header: '成员', weight: 7, align: 'center' },
          { header: '号牌号码', weight: 9, align: 'center' },
          { header: '车辆类型', weight: 9, align: 'center' },
          { header: '是否计入', weight: 12, align: 'center' },
        ],
        vehicles.map((v) => ({
          cells: [
            this.memberName(v.memberIndex),
            v.plate,
            label(VEHICLE_TYPE_LABELS, v.vehicleType),
            v.counted ? '计入' : `不计入（政策豁免${v.exempt ? '车型' : ''}）`,
          ],
        })),
      );
      c.paragraph(`登记状态正常的机动车辆 ${vehicles.length} 辆，其中计入 ${assets.countedVehicles} 辆。`, { size: 9 });
    }

    c.subheading('（四）不动产（房产）');
    const properties = assets.properties ?? [];
    if (properties.length === 0) {
      c.paragraph('未查询到登记状态有效的不动产。', { size: 9 });
    } else {
      c.table(
        [
          { header: '成员', weight: 6, align: 'center' },
          { header: '不动产权证号', weight: 13, align: 'left' },
          { header: '坐落', weight: 15, align: 'left' },
          { header: '用途', weight: 4.5, align: 'center' },
          { header: '建筑面积（m²）', weight: 7, align: 'right' },
          { header: '份额', weight: 5, align: 'right' },
          { header: '登记日期', weight: 7, align: 'center' },
        ],
        properties.map((p) => ({
          cells: [
            this.memberName(p.memberIndex),
            p.certificateNo,
            p.address,
            label(PROPERTY_USE_LABELS, p.use),
            decimal(p.floorAreaM2),
            percent(p.sharePercent),
            p.registeredAt,
          ],
        })),
        { fontSize: 8 },
      );
    }
    c.paragraph(
      `住宅 ${assets.residentialProperties} 套，非住宅 ${assets.nonResidentialProperties} 套；人均住宅建筑面积 ${decimal(assets.residentialAreaPerCapitaM2)} m²（按产权份额折算，除以计入家庭人口）。`,
      { size: 9 },
    );
  }

  // ---------------------------------------------------------------------------------------------- 五 policy and tests

  private policyAndTestsSection(): void {
    const { c, r } = this;
    const p = r.policy;
    const n = r.household?.memberCount ?? 0;
    c.heading('五、政策标准与比对结果 Policy and tests');
    const standard = this.appliedStandard;
    const exempt = (p.exemptVehicleTypes ?? []).map((t) => label(VEHICLE_TYPE_LABELS, t)).join('、');
    const rows: Row[] = [
      { cells: [labelCell('适用政策'), `${label(PROGRAM_LABELS, p.program)} 第 ${p.version} 版`, labelCell('施行日期'), p.effectiveFrom] },
      { cells: [labelCell('保障标准（城镇）'), `${yuan(p.standardMonthly.urban)} 元/人·月`, labelCell('保障标准（农村）'), `${yuan(p.standardMonthly.rural)} 元/人·月`] },
      {
        cells: [
          labelCell('本户适用标准'),
          standard === null ? '户籍类别未知，无法适用' : `${yuan(standard)} 元/人·月（${label(HUKOU_LABELS, r.household?.hukouType)}）`,
          labelCell('收入核算月数'),
          `${p.incomeLookbackMonths} 个月`,
        ],
      },
      {
        cells: [
          labelCell('金融资产限额'),
          {
            text:
              standard === null || p.financialAssetsLimit === null
                ? `保障标准 × ${p.financialAssetsMonthsLimit} 个月 × 计入人口（标准未知，无法计算）`
                : `${yuan(standard)} 元 × ${p.financialAssetsMonthsLimit} 个月 × ${n} 人 = ${yuan(p.financialAssetsLimit)} 元`,
            span: 3,
          },
        ],
      },
      {
        cells: [
          labelCell('机动车辆'),
          { text: `计入车辆不超过 ${p.maxCountedVehicles} 辆${exempt ? `（不计入的车型：${exempt}）` : ''}`, span: 3 },
        ],
      },
      {
        cells: [
          labelCell('房产'),
          { text: `住宅不超过 ${p.maxResidentialProperties} 套，非住宅不超过 ${p.maxNonResidentialProperties} 套`, span: 3 },
        ],
      },
      {
        cells: [
          labelCell('就业成本扣减'),
          p.employmentDeductionMonthly > 0 ? `${yuan(p.employmentDeductionMonthly)} 元/月` : '无',
          labelCell('申报差异容差'),
          `${yuan(p.discrepancyTolerance.absolute)} 元与核对值的 ${fractionAsPercent(p.discrepancyTolerance.relative)} 取较大者`,
        ],
      },
      { cells: [labelCell('政策编号'), { text: p.id, span: 3 }] },
    ];
    c.table(label4, rows, { headerless: true, fontSize: 8.5, keepTogether: true });

    const columns: Column[] = [
      { header: '比对项目', weight: 8, align: 'center' },
      { header: '核对指标', weight: 9, align: 'left' },
      { header: '核对值', weight: 9, align: 'right' },
      { header: '规则', weight: 4, align: 'center' },
      { header: '政策限值', weight: 9, align: 'right' },
      { header: '结果', weight: 6, align: 'center' },
      { header: '说明', weight: 14, align: 'left' },
    ];
    const rows2: Row[] = [];
    for (const test of TESTS) {
      const detail: TestDetail | undefined = r.testDetails?.[test];
      const outcome = r.tests?.[test] ?? detail?.outcome ?? 'unknown';
      const checks: TestCheck[] = detail?.checks?.length ? detail.checks : [];
      const explanation = this.testExplanation(detail, outcome);
      if (checks.length === 0) {
        rows2.push({ cells: [label(TEST_LABELS, test), '—', '—', '—', '—', outcomeCell(outcome), explanation] });
        continue;
      }
      checks.forEach((check, i) => {
        rows2.push({
          cells: [
            i === 0 ? label(TEST_LABELS, test) : '',
            measureName(check.measure),
            measureValue(check.measure, check.value),
            check.rule === 'lt' ? '<' : '≤',
            check.limit === null ? '未知' : measureValue(check.measure, check.limit),
            outcomeCell(outcome === 'unknown' ? 'unknown' : check.passed === null ? 'unknown' : check.passed ? 'pass' : 'fail'),
            i === 0 ? explanation : '',
          ],
        });
      });
    }
    c.table(columns, rows2, { caption: '表 5-1　核对指标与政策标准比对', keepTogether: true });
  }

  private testExplanation(detail: TestDetail | undefined, outcome: TestOutcome): string {
    if (outcome !== 'unknown') return outcome === 'pass' ? '符合标准' : '超出标准';
    const reasons: string[] = [];
    const missing = detail?.missing ?? [];
    if (missing.length > 0) {
      const byProvider = new Map((this.r.sources ?? []).map((s) => [s.provider, s]));
      const names = missing.map((m) => {
        const source = byProvider.get(m);
        const name = providerName(m);
        return source ? `${name}（${label(SOURCE_STATUS_LABELS, source.status)}）` : name;
      });
      reasons.push(`未答复：${names.join('、')}`);
    }
    if (this.appliedStandard === null && missing.length === 0) reasons.push('户籍类别未知，无法适用保障标准');
    if ((this.r.household?.memberCount ?? 1) === 0) reasons.push('无计入家庭人口');
    return reasons.join('；') || '信息不足，无法判断';
  }

  // ---------------------------------------------------------------------------------------------- 六 conclusion

  private conclusionSection(): void {
    const { c, r } = this;
    const doc = c.doc;
    c.heading('六、核对结论 Conclusion', 110);
    const summary = TESTS.map((t) => `${label(TEST_LABELS, t)}：${label(OUTCOME_LABELS, r.tests?.[t] ?? 'unknown')}`).join('；');
    const explanation = `${label(CONCLUSION_EXPLANATIONS, r.conclusion)}\n比对结果：${summary}。`;
    const innerWidth = c.width - 24;
    const height = 14 + c.textHeight('核对结论', innerWidth, true, 15) + 6 + c.textHeight(explanation, innerWidth, false, 9) + 6 + c.textHeight(LEGAL_NOTE, innerWidth, true, 8.5) + 12;
    c.ensure(height);
    const top = c.y;
    doc.rect(c.left, top, c.width, height).lineWidth(1).strokeColor(COLORS.rule).stroke();
    c.y = top + 12;
    c.font(true, 15);
    doc
      .fillColor(r.conclusion === 'exceeds_limits' ? COLORS.fail : COLORS.text)
      .text(`核对结论：${label(CONCLUSION_LABELS, r.conclusion)}`, c.left + 12, c.y, { width: innerWidth, align: 'center' });
    c.y += 6;
    c.font(false, 9);
    doc.fillColor(COLORS.text).text(explanation, c.left + 12, c.y, { width: innerWidth, lineGap: 1 });
    c.y += 6;
    c.font(true, 8.5);
    doc.fillColor(COLORS.text).text(LEGAL_NOTE, c.left + 12, c.y, { width: innerWidth, lineGap: 1 });
    c.y = top + height + 6;
  }

  // ---------------------------------------------------------------------------------------------- 七 discrepancies

  private discrepanciesSection(): void {
    const { c, r } = this;
    c.heading('七、申报与核对差异 Discrepancies');
    const list = r.discrepancies ?? [];
    if (list.length === 0) {
      c.paragraph('未发现家庭申报情况与核对结果之间超出容差的差异。', { size: 9 });
      return;
    }
    const columns: Column[] = [
      { header: '序号', weight: 4, align: 'center' },
      { header: '差异事项', weight: 10, align: 'left' },
      { header: '类别 / 成员', weight: 13, align: 'left' },
      { header: '申报值', weight: 8, align: 'right' },
      { header: '核对值', weight: 8, align: 'right' },
      { header: '容差', weight: 7, align: 'right' },
      { header: '差额', weight: 8, align: 'right' },
    ];
    const rows: Row[] = list.map((d, i) => {
      const unit = discrepancyUnit(d);
      const show = (v: number | undefined) => (v === undefined ? '—' : unit === 'count' ? `${v} ${d.kind === 'undeclared_vehicles' ? '辆' : '套'}` : yuan(v));
      const difference = d.declared !== undefined && d.verified !== undefined ? show(d.verified - d.declared) : '—';
      const subject = d.category
        ? `${label(INCOME_CATEGORY_LABELS, d.category)}${d.kind === 'income_understated' ? '（月均）' : ''}`
        : d.member
          ? this.memberByMasked(d.member)
          : d.kind === 'financial_assets_understated'
            ? '金融资产合计'
            : '家庭';
      return {
        cells: [String(i + 1), label(DISCREPANCY_LABELS, d.kind), subject, show(d.declared), show(d.verified), d.tolerance === undefined ? '—' : yuan(d.tolerance), difference],
      };
    });
    c.table(columns, rows);
    c.paragraph('注：金额单位为元（收入为月均数）；容差 = max(绝对容差, 相对容差 × 核对值)，核对值超出申报值且差额大于容差的列为差异。', {
      size: 8,
      color: COLORS.muted,
    });
  }

  // ---------------------------------------------------------------------------------------------- 八 notes

  private notesSection(): void {
    const { c } = this;
    const lines = (this.r.notes ?? []).map((note) => this.noteText(note));
    lines.push('本报告所列信息以各部门、机构答复时的登记数据为准。家庭对核对结果有异议的，可向核对机构提出，复核后出具新版本报告，历次版本均予保留。');
    c.heading('八、说明事项 Notes', 40);
    c.numbered(lines, { size: 8.5 });
  }

  private noteText(note: ReportNote): string {
    const r = this.r;
    const sources = r.sources ?? [];
    switch (note.code) {
      case 'transfer_unverified':
        return `转移性收入每月 ${yuan(r.income.byCategory.transfer)} 元为家庭申报数，尚无部门核实。`;
      case 'estimated_from_provident_fund': {
        const months = (r.income.estimatedMonths ?? []).reduce((sum, e) => sum + e.months.length, 0);
        return `共 ${months} 个成员月份无纳税工资记录，按住房公积金缴存基数减个人缴存额估算工资性收入。`;
      }
      case 'no_counted_members':
        return '公安机关登记全部家庭成员已死亡，无计入家庭人口：人均指标为 0，收入和金融资产两项无法判断。';
      case 'hukou_unknown':
        return '申请人户籍类别未知，无法确定适用的保障标准：收入和金融资产两项无法判断。';
      case 'identity_unverified':
        return '公安机关未答复：家庭成员身份和存亡状态未经核验，全部成员暂计入家庭人口。';
      case 'sources_missing': {
        const missing = sources.filter((s) => s.status !== 'answered' && s.status !== 'no_record');
        return `以下单位未答复：${missing.map((s) => `${providerName(s.provider)}（${label(SOURCE_STATUS_LABELS, s.status)}）`).join('、')}。相关指标无法判断，收到答复后将出具新版本报告。`;
      }
      case 'late_answers': {
        const late = sources.filter((s) => s.late === true);
        return `以下单位在答复期限后答复，已纳入本版报告：${late.map((s) => providerName(s.provider)).join('、')}。`;
      }
      case 'provident_fund_not_counted':
        return `住房公积金账户余额 ${yuan(r.assets.providentFundBalance)} 元仅作列示，不计入金融资产。`;
      case 'exempt_vehicles': {
        const exempt = (r.assets.vehicles ?? []).filter((v) => v.exempt).length;
        return `${exempt} 辆政策豁免车型的车辆仅作列示，不计入车辆指标。`;
      }
      default:
        return note.message;
    }
  }

  // ---------------------------------------------------------------------------------------------- 九 signature

  private signatureSection(): void {
    const { c } = this;
    const doc = c.doc;
    const signature = this.options.signature ?? null;
    c.heading('九、审核签章 Review and signature', 200);
    const rows: Row[] = [
      { minHeight: 30, cells: [labelCell('经办人（签字）'), '', labelCell('日期'), ''] },
      {
        minHeight: 30,
        cells: [
          labelCell('审核人（签字）'),
          signature ? { text: `${signature.reviewer}（电子签署）`, bold: true } : '',
          labelCell('审核日期'),
          signature ? shanghaiDateTime(signature.signedAt, false) : '',
        ],
      },
      { minHeight: 48, cells: [labelCell('审核意见'), { text: signature?.comment ?? '', span: 3 }] },
    ];
    c.table(label4, rows, { headerless: true, fontSize: 9, keepTogether: true });
    if (signature) {
      c.paragraph(`本报告第 ${this.r.version} 版已由审核人电子签署，签署后内容不可更改；如有变动将出具新版本。`, { size: 8, color: COLORS.muted });
    }
    c.ensure(70);
    const x = c.left + c.width * 0.58;
    const width = c.width * 0.42;
    c.y += 10;
    c.font(false, 9.5);
    doc.fillColor(COLORS.text).text('核对机构（盖章）', x, c.y, { width, align: 'left' });
    c.y += 30;
    doc.fillColor(COLORS.text).text('　　　　年　　月　　日', x, c.y, { width, align: 'left' });
    c.y += 8;
  }

  // ---------------------------------------------------------------------------------------------- appendix

  private incomeRecordsAppendix(): void {
    const { c, r } = this;
    const traces: IncomeTrace[] = (r.income.sources ?? []).filter((t) => t.records.length > 0);
    c.newPage();
    c.heading('附表　收入来源记录明细 Income records', 60);
    c.paragraph('下表列出计入第三部分各项收入的部门原始记录（成员、类别、来源、期间、记录编号），每项收入均可追溯。金额单位：元。', {
      size: 8,
      color: COLORS.muted,
    });
    if (traces.length === 0) {
      c.paragraph('核算期内无计入的收入记录。', { size: 9 });
      return;
    }
    const columns: Column[] = [
      { header: '成员', weight: 44, align: 'center' },
      { header: '类别', weight: 50, align: 'center' },
      { header: '数据来源', weight: 80, align: 'left' },
      { header: '期间', weight: 40, align: 'center' },
      { header: '记录类型', weight: 50, align: 'center' },
      { header: '计入金额', weight: 58, align: 'right' },
      { header: '记录编号', weight: 170, align: 'left' },
    ];
    const rows: Row[] = [];
    const ordered = [...traces].sort((a, b) => a.memberIndex - b.memberIndex || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
    for (const trace of ordered) {
      const name = this.memberName(trace.memberIndex);
      const category = label(INCOME_CATEGORY_LABELS, trace.category);
      const records = [...trace.records].sort((a, b) => (a.period ?? '').localeCompare(b.period ?? '') || a.provider.localeCompare(b.provider));
      for (const record of records) {
        rows.push({
          cells: [name, category, providerName(record.provider), record.period ?? '—', label(RECORD_KIND_LABELS, record.kind), yuanOrDash(record.amount), record.recordId],
        });
      }
      const deduction = trace.employmentDeduction > 0 ? `，已扣减就业成本 ${yuan(trace.employmentDeduction)}` : '';
      rows.push({
        total: true,
        cells: [{ text: `小计：${name} ${category}（核算期合计${deduction}）`, span: 5 }, yuan(trace.sum), ''],
      });
    }
    c.table(columns, rows, { caption: '附表 1　收入来源记录', fontSize: 7.5 });
  }

  // ---------------------------------------------------------------------------------------------- every page

  private decorate(number: number, count: number): void {
    const { c, r } = this;
    const doc = c.doc;
    const pageHeight = doc.page.height;
    if (number > 1) {
      c.font(false, 8);
      doc.fillColor(COLORS.muted).text(REPORT_TITLE, c.left, 34, { width: c.width / 2, lineBreak: false });
      doc.text(`报告编号 ${r.reportNumber} · 第 ${r.version} 版`, c.left + c.width / 2, 34, { width: c.width / 2, align: 'right', lineBreak: false });
      doc.moveTo(c.left, 47).lineTo(c.right, 47).lineWidth(0.5).strokeColor(COLORS.grid).stroke();
    }
    const footerY = pageHeight - 50;
    doc.moveTo(c.left, footerY).lineTo(c.right, footerY).lineWidth(0.5).strokeColor(COLORS.grid).stroke();
    c.font(false, 7.5);
    doc.fillColor(COLORS.muted).text(CONFIDENTIALITY_NOTE, c.left, footerY + 6, { width: c.width * 0.74, lineGap: 1 });
    c.font(false, 8.5);
    doc.fillColor(COLORS.text).text(`第 ${number} 页 / 共 ${count} 页`, c.left + c.width * 0.74, footerY + 6, {
      width: c.width * 0.26,
      align: 'right',
      lineBreak: false,
    });
  }
}

function answeredStatus(status: string): boolean {
  return status === 'answered' || status === 'no_record';
}

function measureName(measure: string): string {
  const known = MEASURE_LABELS[measure];
  return known ? `${known.label}（${known.suffix}）` : measure;
}

function measureValue(measure: string, value: number): string {
  const known = MEASURE_LABELS[measure];
  if (!known) return String(value);
  if (known.unit === 'yuan') return yuan(value);
  if (known.unit === 'area') return decimal(value);
  return String(value);
}

function discrepancyUnit(d: Discrepancy): 'yuan' | 'count' {
  return d.kind === 'undeclared_vehicles' || d.kind === 'undeclared_properties' ? 'count' : 'yuan';
}
