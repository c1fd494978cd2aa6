import { Table, Typography } from 'antd';
import type { AuditEntry } from '../api/types';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { useProviderLabel } from './labels';

/** Audit entries as an auditor sees them: people by masked identity number only. */
export function AuditEntriesTable({ entries, loading, pagination }: { entries: AuditEntry[]; loading?: boolean; pagination?: false | object }) {
  const { t, tc } = useI18n();
  const providerLabel = useProviderLabel();
  return (
    <Table<AuditEntry>
      size="small"
      rowKey="sequence"
      loading={loading}
      dataSource={entries}
      pagination={pagination ?? false}
      data-testid="audit-entries"
      columns={[
        { title: t('audit.sequence'), dataIndex: 'sequence', width: 70 },
        { title: t('audit.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => dateTime(v), width: 160 },
        { title: t('audit.actor'), dataIndex: 'actor', render: (a: AuditEntry['actor']) => `${a.username} (${tc('role', a.role)}${a.regionCode ? ` · ${a.regionCode}` : ''})` },
        { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <span data-action={a}>{tc('action', a)}</span> },
        { title: t('audit.provider'), dataIndex: 'provider', render: (p: string | null) => (p ? providerLabel(p) : '—') },
        {
          title: t('audit.case'),
          dataIndex: 'case',
          render: (c: AuditEntry['case']) =>
            c.verificationId ? (
              <span>
                <Typography.Text code style={{ fontSize: 11 }} data-verification={c.verificationId}>
                  {c.verificationId.slice(0, 8)}
                </Typography.Text>
                {c.program && ` ${tc('program', c.program)}`}
              </span>
            ) : (
              '—'
            ),
        },
        { title: t('audit.subjects'), dataIndex: 'subjects', render: (s: string[]) => s.join('、') || '—' },
        { title: t('audit.outcome'), dataIndex: 'outcome', render: (o: AuditEntry['outcome']) => [o.status, o.recordCount !== null ? `${o.recordCount} ${t('common.records')}` : null].filter(Boolean).join(' · ') || '—' },
        { title: t('audit.hash'), dataIndex: 'entryHash', render: (h: string) => <Typography.Text code style={{ fontSize: 11 }}>{h.slice(0, 10)}</Typography.Text> },
      ]}
    />
  );
}
