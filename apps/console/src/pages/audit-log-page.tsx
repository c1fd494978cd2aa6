import { AUDIT_ACTIONS } from '@verihub/domain/audit/audit-entry';
import { PROGRAMS } from '@verihub/domain/verification-request';
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, apiFile, ApiError, saveFile } from '../api/client';
import type { AuditEntry, ChainStatus, PageOf } from '../api/types';
import { applyProblem, ErrorAlert, useErrorText, useLoad } from '../components/api-feedback';
import { AuditEntriesTable } from '../components/audit-entries-table';
import { useI18n } from '../i18n/i18n';
import { useLocation } from '../router';

interface FilterForm {
  officer?: string;
  idNumber?: string;
  provider?: string;
  verificationId?: string;
  program?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null];
}

/** The API's filters from the form; the identity number travels in the POST body, never in a URL. */
export function filtersOf(values: FilterForm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['officer', 'idNumber', 'provider', 'verificationId', 'program', 'action'] as const) {
    const v = values[key]?.trim();
    if (v) out[key] = v;
  }
  if (values.range?.[0]) out.from = values.range[0].format('YYYY-MM-DDTHH:mm:ssZ');
  if (values.range?.[1]) out.to = values.range[1].format('YYYY-MM-DDTHH:mm:ssZ');
  return out;
}

export default function AuditLogPage() {
  const { t, tc } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { query } = useLocation();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<Record<string, string>>(() => {
    const initial: Record<string, string> = {};
    const id = query.get('verificationId');
    if (id) initial.verificationId = id;
    return initial;
  });
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [result, setResult] = useState<PageOf<AuditEntry> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const chain = useLoad(() => api<ChainStatus>('/audit/chain'), []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    api<PageOf<AuditEntry>>('/audit/entries/search', { method: 'POST', body: { ...filters, ...paging } })
      .then((r) => live && setResult(r))
      .catch((err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.problem?.errors?.length && !applyProblem(form, err).length) return;
        setError(err);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filters, paging, form]);

  const exportCsv = async () => {
    try {
      const { blob, fileName } = await apiFile('/audit/entries/export', { method: 'POST', body: filters, accept: 'text/csv', fallbackName: 'audit-entries.csv' });
      saveFile(blob, fileName);
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" title={t('audit.chain')} extra={<Button size="small" onClick={chain.reload}>{t('common.refresh')}</Button>}>
        <ErrorAlert error={chain.error} />
        {chain.data && (
          <Alert
            data-testid="chain-status"
            type={chain.data.ok ? 'success' : 'error'}
            showIcon
            title={
              chain.data.ok
                ? t('audit.chainOk', { count: chain.data.count, last: chain.data.lastSequence ?? 0 })
                : t('audit.chainBroken', { seq: chain.data.firstBrokenSequence ?? '?', reason: chain.data.reason ?? '' })
            }
            description={chain.data.headHash ? `head ${chain.data.headHash}` : undefined}
          />
        )}
      </Card>
      <Card title={t('audit.title')} extra={<Button onClick={exportCsv} data-testid="export-csv">{t('audit.export')}</Button>}>
        <Form<FilterForm>
          form={form}
          layout="inline"
          initialValues={filters}
          style={{ marginBottom: 16, rowGap: 8 }}
          onFinish={(values) => {
            setFilters(filtersOf(values));
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        >
          <Form.Item name="officer" label={t('audit.officer')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="idNumber" label={t('audit.idNumber')} tooltip={t('audit.idNumberHelp')}>
            <Input style={{ width: 190 }} maxLength={18} autoComplete="off" />
          </Form.Item>
          <Form.Item name="provider" label={t('audit.provider')}>
            <Input style={{ width: 120 }} placeholder="bank:ICBC" />
          </Form.Item>
          <Form.Item name="verificationId" label={t('audit.verificationId')}>
            <Input style={{ width: 300 }} data-testid="filter-verification" />
          </Form.Item>
          <Form.Item name="program" label={t('audit.program')}>
            <Select allowClear style={{ width: 160 }} options={PROGRAMS.map((p) => ({ value: p, label: tc('program', p) }))} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Select allowClear style={{ width: 160 }} options={AUDIT_ACTIONS.map((a) => ({ value: a, label: tc('action', a) }))} />
          </Form.Item>
          <Form.Item name="range" label={t('audit.range')}>
            <DatePicker.RangePicker showTime />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="audit-search">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                form.setFieldsValue({ officer: undefined, idNumber: undefined, provider: undefined, verificationId: undefined, program: undefined, action: undefined, range: undefined });
                setFilters({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form>
        <ErrorAlert error={error} />
        <AuditEntriesTable
          entries={result?.items ?? []}
          loading={loading}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: result?.total ?? 0,
            showTotal: (total: number) => <span data-testid="audit-total">{t('common.total', { total })}</span>,
            onChange: (page: number, pageSize: number) => setPaging({ page, pageSize }),
          }}
        />
      </Card>
    </Space>
  );
}
