/**
 * The household report, clearer than the PDF: conclusion and summary on top, the four tests against their
 * thresholds, income (chart, categories, members), assets, discrepancies marked next to the figures they
 * concern, and the sources. Every figure opens the records behind it (income.sources, holdings, vehicles…).
 */
import { Alert, Card, Col, Descriptions, Drawer, List, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { maskIdentityNumber } from '@verihub/domain/identity-number';
import { useState, type ReactNode } from 'react';
import type { HouseholdReport, ReportDocument } from '../api/types';
import { ConclusionTag, OutcomeTag, SourceStatusTag, useProviderLabel } from '../components/labels';
import { dateTime, percent, yuan } from '../format';
import { useI18n } from '../i18n/i18n';
import { IncomeChart } from './income-chart';

type Discrepancy = HouseholdReport['discrepancies'][number];
type RecordRef = HouseholdReport['income']['sources'][number]['records'][number];

interface RecordRow {
  key: string;
  provider: string;
  kind: string;
  recordId: string;
  period?: string;
  member?: string;
  amount?: number;
  detail?: string;
}

interface Evidence {
  title: string;
  rows: RecordRow[];
  summary?: ReactNode;
}

const MONEY_MEASURES = new Set(['monthlyPerCapita', 'financialTotal']);

function Figure({ children, onOpen, flagged, testId }: { children: ReactNode; onOpen?: () => void; flagged?: Discrepancy[]; testId?: string }) {
  const style = flagged?.length ? { background: '#fff1f0', outline: '1px solid #ff7875', borderRadius: 4, padding: '0 4px' } : undefined;
  return (
    <span style={style} data-testid={testId} data-flagged={flagged?.length ? 'true' : undefined}>
      {onOpen ? (
        <a onClick={onOpen} role="button">
          {children}
        </a>
      ) : (
        children
      )}
    </span>
  );
}

function useDiscrepancyText(): (d: Discrepancy) => string {
  const { t, tc } = useI18n();
  return (d) => {
    const parts = [tc('discrepancy', d.kind)];
    if (d.category) parts.push(tc('category', d.category));
    if (d.member) parts.push(d.member);
    const money = d.kind === 'income_understated' || d.kind === 'financial_assets_understated';
    const fmt = (v: number) => (money ? yuan(v) : String(v));
    if (d.declared !== undefined) parts.push(`${t('report.declared')} ${fmt(d.declared)}`);
    if (d.verified !== undefined) parts.push(`${t('report.verified')} ${fmt(d.verified)}`);
    if (d.tolerance !== undefined) parts.push(`${t('report.tolerance')} ${fmt(d.tolerance)}`);
    return parts.join(' · ');
  };
}

function Flags({ items }: { items: Discrepancy[] }) {
  const text = useDiscrepancyText();
  const { tc } = useI18n();
  return (
    <>
      {items.map((d, i) => (
        <Tooltip key={i} title={text(d)}>
          <Tag color="red" style={{ marginLeft: 6 }} data-testid={`flag-${d.kind}`}>
            {tc('discrepancy', d.kind)}
          </Tag>
        </Tooltip>
      ))}
    </>
  );
}

export function ReportView({ report }: { report: ReportDocument }) {
  const { t, tc } = useI18n();
  const providerLabel = useProviderLabel();
  const discrepancyText = useDiscrepancyText();
  const [evidence, setEvidence] = useState<Evidence | null>(null);
  const memberLabel = (index: number) => {
    const m = report.members[index];
    return m ? `${m.name} ${maskIdentityNumber(m.idNumber)}` : '—';
  };
  const flagsOf = (pred: (d: Discrepancy) => boolean) => report.discrepancies.filter(pred);
  const fromRefs = (refs: RecordRef[], member?: string): RecordRow[] =>
    refs.map((r, i) => ({ key: `${r.recordId}-${i}`, provider: r.provider, kind: r.kind, recordId: r.recordId, period: r.period, amount: r.amount, member }));

  const openIncome = (category: 'wage' | 'business' | 'property', memberIndex?: number) => {
    const traces = report.income.sources.filter((s) => s.category === category && (memberIndex === undefined || s.memberIndex === memberIndex));
    const sum = traces.reduce((a, s) => a + s.sum, 0);
    const deduction = traces.reduce((a, s) => a + s.employmentDeduction, 0);
    setEvidence({
      title: t('report.recordsOf', { what: memberIndex === undefined ? tc('category', category) : `${tc('category', category)} · ${memberLabel(memberIndex)}` }),
      rows: traces.flatMap((s) => fromRefs(s.records, s.member)),
      summary: (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('report.sum')}>{yuan(sum)}</Descriptions.Item>
          {deduction > 0 && <Descriptions.Item label={t('report.deduction')}>{yuan(deduction)}</Descriptions.Item>}
          <Descriptions.Item label={t('report.lookback')}>
            {yuan(sum)} ÷ {report.lookback.months} = {yuan(memberIndex === undefined ? report.income.byCategory[category] : report.members[memberIndex]?.income[category])}
          </Descriptions.Item>
        </Descriptions>
      ),
    });
  };
  const openHoldings = (provider?: string) => {
    const accounts = report.assets.accounts.filter((a) => !provider || a.provider === provider);
    setEvidence({
      title: t('report.recordsOf', { what: provider ? providerLabel(provider) : t('report.financialTotal') }),
      rows: accounts.flatMap((a) =>
        a.holdings.map((h) => ({
          key: h.recordId,
          provider: a.provider,
          kind: `${tc('product', h.product)} ${h.accountNo}`,
          recordId: h.recordId,
          period: h.asOf,
          member: h.member,
          amount: h.balanceFen,
        })),
      ),
    });
  };
  const openVehicles = () =>
    setEvidence({
      title: t('report.recordsOf', { what: t('report.vehicles') }),
      rows: report.assets.vehicles.map((v) => ({
        key: v.recordId,
        provider: v.provider,
        kind: `${tc('vehicle', v.vehicleType)} ${v.plate}${v.exempt ? ` (${t('report.exempt')})` : ''}`,
        recordId: v.recordId,
        member: v.member,
      })),
    });
  const openProperties = (residential?: boolean) =>
    setEvidence({
      title: t('report.recordsOf', { what: t('report.properties') }),
      rows: report.assets.properties
        .filter((p) => residential === undefined || p.residential === residential)
        .map((p) => ({ key: `${p.recordId}-${p.memberIndex}`, provider: p.provider, kind: tc('use', p.use), recordId: p.recordId, member: p.member, detail: `${p.certificateNo} · ${p.floorAreaM2} m² × ${p.sharePercent}%` })),
    });

  const measureValue = (measure: string, v: number | null) => {
    if (v === null) return '—';
    if (MONEY_MEASURES.has(measure)) return yuan(v);
    if (measure === 'residentialAreaPerCapitaM2') return `${v} m²`;
    return String(v);
  };
  const testOpeners: Record<string, (() => void) | undefined> = {
    income: undefined,
    financialAssets: () => openHoldings(),
    vehicles: openVehicles,
    realEstate: () => openProperties(),
  };
  const incomeFlags = (category: string) => flagsOf((d) => d.kind === 'income_understated' && d.category === category);

  return (
    <>
      <Card style={{ marginBottom: 16 }} data-testid="report-summary">
        <Row gutter={24} align="middle">
          <Col flex="none">
            <Typography.Text type="secondary">{t('report.conclusion')}</Typography.Text>
            <div data-testid="report-conclusion">
              <ConclusionTag conclusion={report.conclusion} large />
            </div>
          </Col>
          <Col flex="none">
            <Statistic title={t('report.monthlyPerCapita')} value={yuan(report.income.monthlyPerCapita)} data-testid="per-capita" />
          </Col>
          <Col flex="none">
            <Statistic title={t('report.monthlyTotal')} value={yuan(report.income.monthlyTotal)} />
          </Col>
          <Col flex="none">
            <Statistic title={t('report.memberCount')} value={report.household.memberCount} suffix={`/ ${report.household.requestedMemberCount}`} />
          </Col>
          <Col flex="auto">
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('report.disclaimer')}
            </Typography.Paragraph>
          </Col>
        </Row>
        <Descriptions size="small" column={3} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('report.number')}>
            <span data-testid="report-number">{report.reportNumber}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('report.version')}>{report.version}</Descriptions.Item>
          <Descriptions.Item label={t('report.issuedAt')}>{dateTime(report.issuedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('list.program')}>{tc('program', report.program)}</Descriptions.Item>
          <Descriptions.Item label={t('list.purpose')}>{tc('purpose', report.purpose)}</Descriptions.Item>
          <Descriptions.Item label={t('report.asOf')}>{report.asOf}</Descriptions.Item>
          <Descriptions.Item label={t('report.lookback')}>
            {t('report.lookbackValue', { from: report.lookback.from, to: report.lookback.to, months: report.lookback.months })}
          </Descriptions.Item>
          <Descriptions.Item label={t('report.hukou')}>{tc('hukou', report.household.hukouType)}</Descriptions.Item>
          <Descriptions.Item label={t('report.policy')}>
            <span data-testid="policy-version">
              {t('report.policyValue', { program: tc('program', report.policy.program), region: report.policy.regionCode, version: report.policy.version, from: report.policy.effectiveFrom })}
            </span>
          </Descriptions.Item>
        </Descriptions>
        {report.notes.length > 0 && (
          <Alert
            type="info"
            style={{ marginTop: 12 }}
            title={t('report.notes')}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {report.notes.map((n) => (
                  <li key={n.code}>{tc('note', n.code)}</li>
                ))}
              </ul>
            }
          />
        )}
      </Card>

      <Card title={t('report.members')} size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          pagination={false}
          rowKey={(m) => m.idNumber}
          dataSource={report.members}
          columns={[
            { title: t('form.name'), dataIndex: 'name' },
            { title: t('form.idNumber'), dataIndex: 'idNumber', render: (v: string) => maskIdentityNumber(v) },
            { title: t('form.relation'), dataIndex: 'relation', render: (v: string) => tc('relation', v) },
            {
              title: t('report.identity'),
              key: 'identity',
              render: (_: unknown, m) => (
                <>
                  {tc('identity', m.identity)}
                  {m.registeredName && ` (${t('report.registeredName')}: ${m.registeredName})`}
                  <Flags items={flagsOf((d) => (d.kind === 'identity_mismatch' || d.kind === 'identity_not_found') && d.member === maskIdentityNumber(m.idNumber))} />
                </>
              ),
            },
            {
              title: t('report.vital'),
              key: 'vital',
              render: (_: unknown, m) => (
                <>
                  {tc('vital', m.vitalStatus)}
                  {m.deathDate && ` ${m.deathDate}`}
                  <Flags items={flagsOf((d) => d.kind === 'deceased_member' && d.member === maskIdentityNumber(m.idNumber))} />
                </>
              ),
            },
            { title: t('report.counted'), dataIndex: 'counted', render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
          ]}
        />
      </Card>

      <Card title={`${t('report.tests')} · ${t('report.policy')} v${report.policy.version}`} size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          pagination={false}
          rowKey="name"
          data-testid="tests"
          dataSource={(['income', 'financialAssets', 'vehicles', 'realEstate'] as const).map((name) => ({ name, detail: report.testDetails[name], outcome: report.tests[name] }))}
          columns={[
            { title: t('report.test'), dataIndex: 'name', render: (n: string) => tc('test', n) },
            { title: t('report.outcome'), dataIndex: 'outcome', render: (o: string, row) => <span data-testid={`test-${row.name}`}><OutcomeTag outcome={o} /></span> },
            {
              title: `${t('report.value')} / ${t('report.limit')}`,
              key: 'checks',
              render: (_: unknown, row) => (
                <div>
                  {row.detail.checks.map((c) => (
                    <div key={c.measure}>
                      {tc('measure', c.measure)}{' '}
                      <Figure onOpen={testOpeners[row.name]}>
                        <strong>{measureValue(c.measure, c.value)}</strong>
                      </Figure>{' '}
                      {tc('rule', c.rule)} {measureValue(c.measure, c.limit)} {c.passed === false ? '✗' : c.passed ? '✓' : '?'}
                    </div>
                  ))}
                </div>
              ),
            },
            {
              title: t('report.missing'),
              key: 'missing',
              render: (_: unknown, row) => (row.detail.missing.length ? row.detail.missing.map(providerLabel).join('、') : '—'),
            },
          ]}
        />
      </Card>

      <Card title={t('report.income')} size="small" style={{ marginBottom: 16 }}>
        <Row gutter={16} style={{ marginBottom: 16 }}>
          {(['wage', 'business', 'property'] as const).map((c) => (
            <Col span={6} key={c}>
              <Statistic
                title={tc('category', c)}
                valueRender={() => (
                  <Figure onOpen={() => openIncome(c)} flagged={incomeFlags(c)} testId={`income-${c}`}>
                    {yuan(report.income.byCategory[c])}
                  </Figure>
                )}
              />
              <Flags items={incomeFlags(c)} />
            </Col>
          ))}
          <Col span={6}>
            <Statistic title={tc('category', 'transfer')} value={yuan(report.income.byCategory.transfer)} />
            {report.income.transferUnverified && <Typography.Text type="secondary">{t('report.transferUnverified')}</Typography.Text>}
          </Col>
        </Row>
        <Typography.Title level={5}>{t('report.chart')}</Typography.Title>
        <IncomeChart months={report.income.months} />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('report.byMember')}
        </Typography.Title>
        <Table
          size="small"
          pagination={false}
          rowKey="index"
          dataSource={report.members.map((m, index) => ({ ...m, index })).filter((m) => m.counted)}
          columns={[
            { title: t('report.member'), key: 'm', render: (_: unknown, m) => memberLabel(m.index) },
            ...(['wage', 'business', 'property'] as const).map((c) => ({
              title: tc('category', c),
              key: c,
              render: (_: unknown, m: { index: number; income: { wage: number; business: number; property: number } }) => <Figure onOpen={() => openIncome(c, m.index)}>{yuan(m.income[c])}</Figure>,
            })),
            {
              title: t('report.estimatedMonths'),
              key: 'est',
              render: (_: unknown, m) => (m.estimatedMonths.length ? m.estimatedMonths.map((x) => <Tag key={x} color="gold">{x}</Tag>) : '—'),
            },
          ]}
        />
      </Card>

      <Card title={t('report.assets')} size="small" style={{ marginBottom: 16 }}>
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={6}>
            <Statistic
              title={t('report.financialTotal')}
              valueRender={() => (
                <Figure onOpen={() => openHoldings()} flagged={flagsOf((d) => d.kind === 'financial_assets_understated')} testId="financial-total">
                  {yuan(report.assets.financialTotal)}
                </Figure>
              )}
            />
            <Flags items={flagsOf((d) => d.kind === 'financial_assets_understated')} />
          </Col>
          <Col span={6}>
            <Statistic title={t('report.providentFund')} value={yuan(report.assets.providentFundBalance)} />
          </Col>
          <Col span={6}>
            <Statistic
              title={t('report.countedVehicles')}
              valueRender={() => (
                <Figure onOpen={openVehicles} flagged={flagsOf((d) => d.kind === 'undeclared_vehicles')}>
                  {report.assets.countedVehicles} / {report.assets.vehicles.length}
                </Figure>
              )}
            />
            <Flags items={flagsOf((d) => d.kind === 'undeclared_vehicles')} />
          </Col>
          <Col span={6}>
            <Statistic
              title={`${t('report.residential')} / ${t('report.nonResidential')}`}
              valueRender={() => (
                <Figure onOpen={() => openProperties()} flagged={flagsOf((d) => d.kind === 'undeclared_properties')}>
                  {report.assets.residentialProperties} / {report.assets.nonResidentialProperties}
                </Figure>
              )}
            />
            <Typography.Text type="secondary">
              {t('report.areaPerCapita')} {report.assets.residentialAreaPerCapitaM2} m²
            </Typography.Text>
            <Flags items={flagsOf((d) => d.kind === 'undeclared_properties')} />
          </Col>
        </Row>
        <Table
          size="small"
          pagination={false}
          rowKey="provider"
          dataSource={report.assets.accounts}
          columns={[
            { title: t('report.bank'), dataIndex: 'provider', render: (p: string) => providerLabel(p) },
            { title: t('progress.status'), dataIndex: 'status', render: (s: string) => <SourceStatusTag status={s} /> },
            { title: t('report.accountNo'), key: 'n', render: (_: unknown, a) => a.holdings.length },
            { title: t('report.balance'), dataIndex: 'total', render: (v: number, a) => <Figure onOpen={() => openHoldings(a.provider)}>{yuan(v)}</Figure> },
          ]}
        />
        {report.assets.vehicles.length > 0 && (
          <Table
            size="small"
            style={{ marginTop: 12 }}
            pagination={false}
            rowKey="recordId"
            dataSource={report.assets.vehicles}
            columns={[
              { title: t('report.plate'), dataIndex: 'plate' },
              { title: t('report.vehicleType'), dataIndex: 'vehicleType', render: (v: string) => tc('vehicle', v) },
              { title: t('report.member'), dataIndex: 'member' },
              { title: t('report.counted'), dataIndex: 'counted', render: (v: boolean, r) => (v ? t('common.yes') : r.exempt ? t('report.exempt') : t('common.no')) },
            ]}
          />
        )}
        {report.assets.properties.length > 0 && (
          <Table
            size="small"
            style={{ marginTop: 12 }}
            pagination={false}
            rowKey={(p) => `${p.recordId}-${p.memberIndex}`}
            dataSource={report.assets.properties}
            columns={[
              { title: t('report.certificate'), dataIndex: 'certificateNo' },
              { title: t('report.address'), dataIndex: 'address' },
              { title: t('report.use'), dataIndex: 'use', render: (v: string) => tc('use', v) },
              { title: t('report.area'), dataIndex: 'floorAreaM2' },
              { title: t('report.share'), dataIndex: 'sharePercent', render: (v: number) => `${v}%` },
              { title: t('report.member'), dataIndex: 'member' },
            ]}
          />
        )}
      </Card>

      <Card title={t('report.discrepancies')} size="small" style={{ marginBottom: 16 }} data-testid="discrepancies">
        {report.discrepancies.length === 0 ? (
          <Typography.Text type="secondary">{t('report.noDiscrepancies')}</Typography.Text>
        ) : (
          <List size="small" dataSource={report.discrepancies} renderItem={(d) => <List.Item><Typography.Text type="danger">{discrepancyText(d)}</Typography.Text></List.Item>} />
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('report.tolerance')}: max({yuan(report.policy.discrepancyTolerance.absolute)}, {percent(report.policy.discrepancyTolerance.relative)} × {t('report.verified')})
        </Typography.Text>
      </Card>

      <Card title={t('report.sources')} size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          pagination={false}
          rowKey="provider"
          data-testid="sources"
          dataSource={report.sources}
          columns={[
            { title: t('progress.provider'), dataIndex: 'provider', render: (p: string) => providerLabel(p) },
            { title: t('progress.status'), dataIndex: 'status', render: (s: string, r) => <><SourceStatusTag status={s} />{r.late && <Tag color="orange">{t('progress.late')}</Tag>}</> },
            { title: t('progress.records'), dataIndex: 'records' },
            { title: t('progress.respondedAt'), dataIndex: 'respondedAt', render: (v: string | null) => dateTime(v) },
            { title: '', dataIndex: 'signature', render: (s?: { keyId: string }) => (s ? <Tag color="green">{t('report.signatureVerified')}</Tag> : null) },
          ]}
        />
      </Card>

      <Drawer open={!!evidence} onClose={() => setEvidence(null)} title={evidence?.title} size="large" data-testid="records-drawer">
        {evidence?.summary}
        <Table<RecordRow>
          size="small"
          style={{ marginTop: 12 }}
          pagination={false}
          rowKey="key"
          locale={{ emptyText: t('report.noRecords') }}
          dataSource={evidence?.rows ?? []}
          columns={[
            { title: t('progress.provider'), dataIndex: 'provider', render: (p: string) => providerLabel(p) },
            { title: t('report.recordKind'), dataIndex: 'kind', render: (k: string, r) => <>{k}{r.detail && <div style={{ fontSize: 12, color: '#6b7280' }}>{r.detail}</div>}</> },
            { title: t('report.period'), dataIndex: 'period' },
            { title: t('report.member'), dataIndex: 'member' },
            { title: t('report.contributed'), dataIndex: 'amount', align: 'right', render: (v?: number) => (v === undefined ? '' : yuan(v)) },
            { title: t('report.recordId'), dataIndex: 'recordId', render: (v: string) => <Typography.Text code style={{ fontSize: 11 }}>{v.slice(0, 8)}</Typography.Text> },
          ]}
        />
      </Drawer>
    </>
  );
}
