import { Button, Card, DatePicker, Descriptions, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import type { AnomalyFlag, AnomalyReport, AuditEntry, PageOf } from '../api/types';
import { ErrorAlert, useLoad } from '../components/api-feedback';
import { AuditEntriesTable } from '../components/audit-entries-table';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';

/** The entries behind a flag: that user's entries in the flag's window, narrowed to the flagged sequences. */
function FlagEntries({ flag }: { flag: AnomalyFlag }) {
  const wanted = new Set(flag.entrySequences);
  const { data, error, loading } = useLoad(
    () => api<PageOf<AuditEntry>>('/audit/entries/search', { method: 'POST', body: { officer: flag.actor.username, from: flag.window.from, to: flag.window.to, pageSize: 200 } }),
    [flag.actor.username, flag.window.from, flag.window.to],
  );
  return (
    <>
      <ErrorAlert error={error} />
      <AuditEntriesTable entries={(data?.items ?? []).filter((e) => wanted.has(e.sequence))} loading={loading} />
    </>
  );
}

export default function AnomaliesPage() {
  const { t, tc } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(7, 'day'), dayjs()]);
  const [applied, setApplied] = useState(range);
  const { data, error, loading, reload } = useLoad(
    () => api<AnomalyReport>('/audit/anomalies', { query: { from: applied[0].format('YYYY-MM-DDTHH:mm:ssZ'), to: applied[1].format('YYYY-MM-DDTHH:mm:ssZ') } }),
    [applied],
  );
  return (
    <Card title={t('audit.anomalies')}>
      <Space style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker showTime value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Button type="primary" onClick={() => (applied === range ? reload() : setApplied(range))}>
          {t('common.search')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      {data && (
        <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('audit.window')}>
            {dateTime(data.from)} – {dateTime(data.to)}
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.thresholds')}>
            <span style={{ fontSize: 12 }}>{JSON.stringify(data.thresholds)}</span>
          </Descriptions.Item>
        </Descriptions>
      )}
      <Table<AnomalyFlag>
        rowKey={(f) => `${f.rule}-${f.actor.username}-${f.window.from}-${f.entrySequences[0]}`}
        loading={loading}
        dataSource={data?.flags ?? []}
        locale={{ emptyText: t('audit.noAnomalies') }}
        data-testid="anomalies"
        expandable={{ expandedRowRender: (flag) => <FlagEntries flag={flag} /> }}
        columns={[
          { title: t('audit.rule'), dataIndex: 'rule', render: (r: string, f) => <><Tag color="red">{tc('anomaly', r)}</Tag><div style={{ fontSize: 12, color: '#6b7280' }}>{f.description}</div></> },
          { title: t('audit.actor'), dataIndex: 'actor', render: (a: AnomalyFlag['actor']) => `${a.username} (${tc('role', a.role)})` },
          { title: t('audit.count'), dataIndex: 'count' },
          { title: t('audit.threshold'), dataIndex: 'threshold' },
          { title: t('audit.window'), dataIndex: 'window', render: (w: AnomalyFlag['window']) => `${dateTime(w.from)} – ${dateTime(w.to)}` },
          { title: t('audit.subjects'), key: 'subject', render: (_: unknown, f) => f.subjectMasked ?? (f.verificationId ? f.verificationId.slice(0, 8) : '—') },
          { title: t('audit.entries'), dataIndex: 'entrySequences', render: (s: number[]) => s.length },
        ]}
      />
    </Card>
  );
}
