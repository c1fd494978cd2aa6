import { Card, Table } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { PageOf, ReviewQueueItem } from '../api/types';
import { ErrorAlert, useLoad } from '../components/api-feedback';
import { ConclusionTag, StatusTag } from '../components/labels';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';

export default function ReviewQueuePage() {
  const { t, tc } = useI18n();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const { data, error, loading } = useLoad(() => api<PageOf<ReviewQueueItem>>('/reviews/pending', { query: paging }), [paging.page, paging.pageSize]);
  return (
    <Card title={t('reviews.title')}>
      <ErrorAlert error={error} />
      <Table<ReviewQueueItem>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('reviews.empty') }}
        data-testid="review-queue"
        pagination={{ current: paging.page, pageSize: paging.pageSize, total: data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (page, pageSize) => setPaging({ page, pageSize }) }}
        columns={[
          { title: t('list.program'), dataIndex: 'program', render: (p: string) => tc('program', p) },
          { title: t('list.purpose'), dataIndex: 'purpose', render: (p: string) => tc('purpose', p) },
          { title: t('list.applicant'), dataIndex: 'applicant', render: (a: ReviewQueueItem['applicant']) => (a ? `${a.name} ${a.idNumber}` : '—') },
          { title: t('list.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('list.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          { title: t('list.conclusion'), dataIndex: 'conclusion', render: (c: string | null) => <ConclusionTag conclusion={c} /> },
          { title: t('reviews.issuedAt'), dataIndex: 'issuedAt', render: (v: string) => dateTime(v) },
          { title: t('reviews.changeReason'), dataIndex: 'changeReason' },
          { title: t('common.actions'), key: 'open', render: (_: unknown, row) => <Link to={`/verifications/${row.id}`}>{t('common.open')}</Link> },
        ]}
      />
    </Card>
  );
}
