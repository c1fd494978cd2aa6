import { PROGRAMS } from '@verihub/domain/verification-request';
import { Alert, App, Button, Card, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import type { PolicyView } from '../api/types';
import { applyProblem, ErrorAlert, useLoad } from '../components/api-feedback';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import { dateTime, percent, yuan } from '../format';
import { useI18n } from '../i18n/i18n';

const VEHICLE_TYPES = ['car', 'truck', 'motorcycle', 'tricycle', 'disability'];
const DRAFT = 'new-policy';

/** The form keeps the API's field names; money is entered in yuan and sent in fen. */
interface PolicyForm {
  regionCode: string;
  program: string;
  effectiveFrom?: string;
  standardMonthly: { urban?: number; rural?: number };
  incomeLookbackMonths?: number;
  financialAssetsMonthsLimit?: number;
  maxCountedVehicles?: number;
  exemptVehicleTypes?: string[];
  maxResidentialProperties?: number;
  maxNonResidentialProperties?: number;
  employmentDeductionMonthly?: number;
  discrepancyTolerance?: { absolute?: number; relative?: number };
  maxResidentialAreaPerCapitaM2?: number | null;
}

const fen = (yuanValue?: number) => (yuanValue === undefined || yuanValue === null ? undefined : Math.round(yuanValue * 100));

function formOf(p: PolicyView): PolicyForm {
  return {
    regionCode: p.regionCode,
    program: p.program,
    effectiveFrom: dayjs().format('YYYY-MM-DD'),
    standardMonthly: { urban: p.standardMonthly.urban / 100, rural: p.standardMonthly.rural / 100 },
    incomeLookbackMonths: p.incomeLookbackMonths,
    financialAssetsMonthsLimit: p.financialAssetsMonthsLimit,
    maxCountedVehicles: p.maxCountedVehicles,
    exemptVehicleTypes: p.exemptVehicleTypes,
    maxResidentialProperties: p.maxResidentialProperties,
    maxNonResidentialProperties: p.maxNonResidentialProperties,
    employmentDeductionMonthly: p.employmentDeductionMonthly / 100,
    discrepancyTolerance: { absolute: p.discrepancyTolerance.absolute / 100, relative: p.discrepancyTolerance.relative },
    maxResidentialAreaPerCapitaM2: p.maxResidentialAreaPerCapitaM2 ?? null,
  };
}

function bodyOf(f: PolicyForm): Record<string, unknown> {
  return {
    regionCode: f.regionCode,
    program: f.program,
    effectiveFrom: f.effectiveFrom,
    standardMonthly: { urban: fen(f.standardMonthly?.urban), rural: fen(f.standardMonthly?.rural) },
    incomeLookbackMonths: f.incomeLookbackMonths,
    financialAssetsMonthsLimit: f.financialAssetsMonthsLimit,
    maxCountedVehicles: f.maxCountedVehicles,
    exemptVehicleTypes: f.exemptVehicleTypes ?? [],
    maxResidentialProperties: f.maxResidentialProperties,
    maxNonResidentialProperties: f.maxNonResidentialProperties,
    employmentDeductionMonthly: fen(f.employmentDeductionMonthly) ?? 0,
    discrepancyTolerance: { absolute: fen(f.discrepancyTolerance?.absolute) ?? 0, relative: f.discrepancyTolerance?.relative ?? 0 },
    ...(f.maxResidentialAreaPerCapitaM2 !== null && f.maxResidentialAreaPerCapitaM2 !== undefined ? { maxResidentialAreaPerCapitaM2: f.maxResidentialAreaPerCapitaM2 } : {}),
  };
}

export default function PoliciesPage() {
  const { t, tc } = useI18n();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<{ regionCode?: string; program?: string }>({});
  const { data, error, loading, reload } = useLoad(() => api<{ items: PolicyView[] }>('/policies', { query: filters }), [filters]);
  const [editing, setEditing] = useState<{ basedOn?: number } | null>(() => (loadDraft(DRAFT) ? {} : null));
  const [form] = Form.useForm<PolicyForm>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const open = (p?: PolicyView) => {
    setFailure(null);
    form.resetFields();
    form.setFieldsValue(p ? formOf(p) : { regionCode: '500115', program: 'dibao', effectiveFrom: dayjs().format('YYYY-MM-DD'), standardMonthly: {}, exemptVehicleTypes: [], incomeLookbackMonths: 12 });
    saveDraft(DRAFT, form.getFieldsValue(true));
    setEditing({ basedOn: p?.version });
  };
  const close = () => {
    clearDraft(DRAFT);
    setEditing(null);
  };
  const submit = async (values: PolicyForm) => {
    setBusy(true);
    setFailure(null);
    try {
      const created = await api<PolicyView>('/policies', { method: 'POST', body: bodyOf({ ...form.getFieldsValue(true), ...values }) });
      message.success(`${t('policies.created')}: v${created.version}`);
      close();
      reload();
    } catch (err) {
      if (!(err instanceof ApiError && err.problem?.errors?.length) || applyProblem(form, err).length) setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const required = { required: true, message: t('form.required') };
  const count = (label: string, name: string | string[], min = 0, max?: number) => (
    <Form.Item name={name} label={label} rules={[required]}>
      <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
  const money = (label: string, name: string | string[], min = 0) => (
    <Form.Item name={name} label={label} rules={[required]}>
      <InputNumber min={min} precision={2} prefix="¥" style={{ width: '100%' }} />
    </Form.Item>
  );

  return (
    <Card title={t('policies.title')} extra={<Button type="primary" onClick={() => open(data?.items[0])}>{t('policies.newVersion')}</Button>}>
      <Form layout="inline" style={{ marginBottom: 16 }} onFinish={(v: { regionCode?: string; program?: string }) => setFilters({ regionCode: v.regionCode || undefined, program: v.program || undefined })}>
        <Form.Item name="regionCode" label={t('form.region')}>
          <Input style={{ width: 110 }} maxLength={6} />
        </Form.Item>
        <Form.Item name="program" label={t('form.program')}>
          <Select allowClear style={{ width: 200 }} options={PROGRAMS.map((p) => ({ value: p, label: tc('program', p) }))} />
        </Form.Item>
        <Button htmlType="submit">{t('common.search')}</Button>
      </Form>
      <ErrorAlert error={error} />
      <Table<PolicyView>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="policies"
        columns={[
          { title: t('form.region'), dataIndex: 'regionCode' },
          { title: t('form.program'), dataIndex: 'program', render: (p: string) => tc('program', p) },
          { title: t('policies.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          { title: t('policies.effectiveFrom'), dataIndex: 'effectiveFrom' },
          { title: `${tc('hukou', 'urban')} / ${tc('hukou', 'rural')}`, key: 'std', render: (_: unknown, p) => `${yuan(p.standardMonthly.urban)} / ${yuan(p.standardMonthly.rural)}` },
          { title: t('policies.assetsMonths'), dataIndex: 'financialAssetsMonthsLimit' },
          { title: t('policies.deduction'), dataIndex: 'employmentDeductionMonthly', render: (v: number) => yuan(v) },
          { title: t('report.tolerance'), dataIndex: 'discrepancyTolerance', render: (d: PolicyView['discrepancyTolerance']) => `max(${yuan(d.absolute)}, ${percent(d.relative)})` },
          { title: t('policies.createdBy'), key: 'by', render: (_: unknown, p) => `${p.createdBy} ${dateTime(p.createdAt)}` },
          { title: t('common.actions'), key: 'new', render: (_: unknown, p) => <Button size="small" onClick={() => open(p)}>{t('policies.newVersion')}</Button> },
        ]}
      />
      <Drawer
        open={!!editing}
        onClose={close}
        size="large"
        title={`${t('policies.newVersion')}${editing?.basedOn ? ` · ${t('policies.basedOn', { version: editing.basedOn })}` : ''}`}
        extra={
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="save-policy">
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <ErrorAlert error={failure} />
        {failure instanceof ApiError && failure.problem?.errors?.length ? <Alert type="error" title={failure.problem.errors.map((e) => `${e.field}: ${e.message}`).join('；')} /> : null}
        <Form<PolicyForm> form={form} layout="vertical" initialValues={loadDraft<PolicyForm>(DRAFT) ?? undefined} onFinish={submit} onValuesChange={() => saveDraft(DRAFT, form.getFieldsValue(true))}>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="regionCode" label={t('form.region')} rules={[required, { pattern: /^\d{6}$/, message: '######' }]}>
                <Input maxLength={6} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="program" label={t('form.program')} rules={[required]}>
                <Select options={PROGRAMS.map((p) => ({ value: p, label: tc('program', p) }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="effectiveFrom"
                label={t('policies.effectiveFrom')}
                rules={[required]}
                getValueProps={(v?: string) => ({ value: v ? dayjs(v) : undefined })}
                normalize={(v?: Dayjs | null) => (v ? v.format('YYYY-MM-DD') : undefined)}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>{money(t('policies.urban'), ['standardMonthly', 'urban'], 0.01)}</Col>
            <Col span={12}>{money(t('policies.rural'), ['standardMonthly', 'rural'], 0.01)}</Col>
            <Col span={12}>{count(t('policies.lookback'), 'incomeLookbackMonths', 1, 36)}</Col>
            <Col span={12}>{count(t('policies.assetsMonths'), 'financialAssetsMonthsLimit')}</Col>
            <Col span={12}>{count(t('policies.maxVehicles'), 'maxCountedVehicles')}</Col>
            <Col span={12}>
              <Form.Item name="exemptVehicleTypes" label={t('policies.exemptVehicles')}>
                <Select mode="multiple" options={VEHICLE_TYPES.map((v) => ({ value: v, label: tc('vehicle', v) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>{count(t('policies.maxResidential'), 'maxResidentialProperties')}</Col>
            <Col span={12}>{count(t('policies.maxNonResidential'), 'maxNonResidentialProperties')}</Col>
            <Col span={12}>{money(t('policies.deduction'), 'employmentDeductionMonthly')}</Col>
            <Col span={12}>
              <Form.Item name="maxResidentialAreaPerCapitaM2" label={t('policies.maxArea')}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} suffix="m²" />
              </Form.Item>
            </Col>
            <Col span={12}>{money(t('policies.toleranceAbsolute'), ['discrepancyTolerance', 'absolute'])}</Col>
            <Col span={12}>
              <Form.Item name={['discrepancyTolerance', 'relative']} label={t('policies.toleranceRelative')} rules={[required]}>
                <InputNumber min={0} max={1} step={0.01} precision={4} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Drawer>
    </Card>
  );
}
