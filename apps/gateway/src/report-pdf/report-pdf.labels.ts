/**
 * The Chinese words the printed report uses for the report's codes (api.md "Report", domain.md sections 4-6).
 * A code the table does not know (a programme, provider or measure added later) prints as itself, never as a
 * blank: `label(table, code)`.
 */
import type {
  Conclusion,
  Department,
  Discrepancy,
  HouseholdHukouType,
  IdentityStatus,
  Program,
  Purpose,
  Relation,
  SourceStatus,
  TestOutcome,
  VitalStatus,
} from '@verihub/domain';

export function label<K extends string>(table: Readonly<Partial<Record<K, string>>>, code: string | undefined | null): string {
  if (code === undefined || code === null || code === '') return '—';
  return (table as Record<string, string | undefined>)[code] ?? code;
}

export const REPORT_TITLE = '居民家庭经济状况核对报告';
export const REPORT_TITLE_EN = 'Household Economic Status Verification Report';
export const CONFIDENTIALITY_NOTE = '本报告仅限本案使用，不得用于其他用途或向无关人员提供；泄露核对信息的，依法依规追究责任。';
export const LEGAL_NOTE =
  '本报告只核对、不认定：报告如实反映有关部门提供的家庭经济状况信息及其与政策标准的比较结果，' +
  '不作为救助资格的认定结论；是否符合救助条件，由民政部门依法审核确认。';
export const BASIS_NOTE =
  '本报告依据申请人及共同生活家庭成员签署的授权书（先授权、后核对），经公安、税务、不动产登记、住房公积金、' +
  '银行等部门和机构的数据比对形成。金额单位为人民币元，收入为核算期内的月平均数。';

export const PROGRAM_LABELS: Readonly<Record<Program, string>> = {
  dibao: '最低生活保障（低保）',
  tekun: '特困人员救助供养（特困）',
  low_income: '低收入家庭认定',
  temporary: '临时救助',
  medical: '医疗救助',
  housing: '住房救助',
  education: '教育救助',
};

export const PURPOSE_LABELS: Readonly<Record<Purpose, string>> = {
  application: '申请审核（新申请）',
  review: '复核（动态管理）',
  spot_check: '抽查核对',
};

export const RELATION_LABELS: Readonly<Record<Relation, string>> = {
  applicant: '申请人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  grandparent: '（外）祖父母',
  grandchild: '（外）孙子女',
  other: '其他',
};

export const IDENTITY_LABELS: Readonly<Record<IdentityStatus, string>> = {
  verified: '一致',
  mismatch: '姓名不符',
  not_found: '未查到',
  unknown: '未核验',
};

export const VITAL_LABELS: Readonly<Record<VitalStatus, string>> = {
  alive: '健在',
  deceased: '已死亡',
  unknown: '未知',
};

export const HUKOU_LABELS: Readonly<Record<HouseholdHukouType, string>> = {
  urban: '城镇',
  rural: '农村',
  unknown: '未知',
};

export const SOURCE_STATUS_LABELS: Readonly<Record<SourceStatus, string>> = {
  answered: '已答复',
  no_record: '无记录',
  timeout: '超时',
  error: '错误',
  not_queried: '未查询',
  pending: '等待答复',
};

export const DEPARTMENT_LABELS: Readonly<Record<Department, string>> = {
  'public-security': '公安机关',
  tax: '税务部门',
  housing: '不动产登记机构',
  'provident-fund': '住房公积金管理中心',
  bank: '银行业金融机构',
};

/** What each department is asked for. */
export const DEPARTMENT_CONTENT: Readonly<Record<Department, string>> = {
  'public-security': '身份、户籍、存亡、机动车辆',
  tax: '工资薪金、劳务报酬、经营所得、财产性收入',
  housing: '不动产登记',
  'provident-fund': '公积金账户与缴存',
  bank: '存款、理财、基金、证券',
};

export const BANK_NAMES: Readonly<Record<string, string>> = {
  ICBC: '中国工商银行',
  CCB: '中国建设银行',
  BOC: '中国银行',
  ABC: '中国农业银行',
  BOCOM: '交通银行',
  COMM: '交通银行',
  PSBC: '中国邮政储蓄银行',
  CMB: '招商银行',
  CITIC: '中信银行',
  CIB: '兴业银行',
  SPDB: '上海浦东发展银行',
  CMBC: '中国民生银行',
  CEB: '中国光大银行',
  HXB: '华夏银行',
  CQRCB: '重庆农村商业银行',
  CQCB: '重庆银行',
};

/** "bank:ICBC" -> 中国工商银行, "tax" -> 税务部门; an unknown bank code prints as "银行（CODE）". */
export function providerName(provider: string): string {
  if (provider.startsWith('bank:')) {
    const code = provider.slice('bank:'.length);
    return BANK_NAMES[code] ?? `银行（${code}）`;
  }
  return label(DEPARTMENT_LABELS, provider);
}

export const TEST_LABELS: Readonly<Record<string, string>> = {
  income: '家庭收入',
  financialAssets: '金融资产',
  vehicles: '机动车辆',
  realEstate: '不动产（房产）',
};

export const OUTCOME_LABELS: Readonly<Record<TestOutcome, string>> = {
  pass: '通过',
  fail: '未通过',
  unknown: '无法判断',
};

export const CONCLUSION_LABELS: Readonly<Record<Conclusion, string>> = {
  within_limits: '符合条件范围',
  exceeds_limits: '超出条件范围',
  incomplete: '信息不完整',
};

export const CONCLUSION_EXPLANATIONS: Readonly<Record<Conclusion, string>> = {
  within_limits: '各项核对指标均在政策标准范围以内。',
  exceeds_limits: '至少一项核对指标超出政策标准（见第五部分比对结果）。',
  incomplete: '没有超出政策标准的指标，但有部门未答复或信息不足，至少一项指标无法判断（见第二、五部分）。',
};

export const INCOME_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  wage: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transfer: '转移性收入',
};

export const DISCREPANCY_LABELS: Readonly<Record<Discrepancy['kind'], string>> = {
  income_understated: '收入少报',
  financial_assets_understated: '金融资产少报',
  undeclared_vehicles: '车辆未申报',
  undeclared_properties: '房产未申报',
  deceased_member: '家庭成员已死亡',
  identity_mismatch: '姓名与户籍登记不符',
  identity_not_found: '身份信息未查到',
};

export const VEHICLE_TYPE_LABELS: Readonly<Record<string, string>> = {
  car: '小型汽车',
  truck: '货车',
  motorcycle: '摩托车',
  tricycle: '三轮车',
  disability: '残疾人专用车',
};

export const PROPERTY_USE_LABELS: Readonly<Record<string, string>> = {
  residential: '住宅',
  commercial: '商业',
  industrial: '工业',
  other: '其他',
};

export const PRODUCT_LABELS: Readonly<Record<string, string>> = {
  current: '活期存款',
  time: '定期存款',
  wealth: '理财产品',
  fund: '基金',
  securities: '证券',
};

export const FUND_ACCOUNT_STATUS_LABELS: Readonly<Record<string, string>> = {
  active: '正常',
  sealed: '封存',
  closed: '销户',
};

export const RECORD_KIND_LABELS: Readonly<Record<string, string>> = {
  income: '纳税申报',
  fund_contribution: '公积金缴存',
  bank_interest: '银行利息',
  bank_holding: '银行资产',
  fund_account: '公积金账户',
  vehicle: '机动车',
  property: '不动产',
  person: '人口信息',
};

/** The name and unit of a test check's measure (threshold-tests.ts); a new measure prints as its code. */
export const MEASURE_LABELS: Readonly<Record<string, { label: string; unit: 'yuan' | 'count' | 'area'; suffix: string }>> = {
  monthlyPerCapita: { label: '家庭人均月收入', unit: 'yuan', suffix: '元' },
  financialTotal: { label: '家庭金融资产', unit: 'yuan', suffix: '元' },
  countedVehicles: { label: '计入车辆', unit: 'count', suffix: '辆' },
  residentialProperties: { label: '住宅', unit: 'count', suffix: '套' },
  nonResidentialProperties: { label: '非住宅', unit: 'count', suffix: '套' },
  residentialAreaPerCapitaM2: { label: '人均住宅建筑面积', unit: 'area', suffix: 'm²' },
};
