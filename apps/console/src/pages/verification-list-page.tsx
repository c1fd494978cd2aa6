import { Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { PROGRAMS } from '@verihub/domain/verification-request';
import { useState } from 'react';
import { api } from '../api/client';
import type { PageOf, VerificationSummary } from '../api/types';
import { getSession } from '../auth/session';
import { ErrorAlert, useLoad } from '../components/api-feedback';
import { ConclusionTag, ReviewTag, StatusTag } from '../components/labels';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../router';

interface Filters {
  status?: string;
  program?: string;
  regionCode?: string;
}

export default function VerificationListPage() {
  const { t, tc } = useI18n();
  const role = getSession()?.user.role;
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const { data, error, loading } = useLoad(
    () => api<PageOf<VerificationSummary>>('/verifications', { query: { ...filters, ...paging } }),
    [JSON.stringify(filters), paging.page, paging.pageSize],
  );

  return (
    <Card
      title={t('list.title')}
      extra={role === 'officer' && <Button type="primary" onClick={() => navigate('/verifications/new')}>{t('nav.newVerification')}</Button>}
    >
      <Form
        layout="inline"
        style={{ marginBottom: 16 }}
        onFinish={(values: Filters) => {
          setFilters(values);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        <Form.Item name="status" label={t('list.status')}>
          <Select allowClear style={{ width: 140 }} placeholder={t('common.all')} options={['pending', 'complete', 'partial'].map((s) => ({ value: s, label: tc('status', s) }))} />
        </Form.Item>
        <Form.Item name="program" label={t('list.program')}>
          <Select allowClear style={{ width: 200 }} placeholder={t('common.all')} options={PROGRAMS.map((p) => ({ value: p, label: tc('program', p) }))} />
        </Form.Item>
        {(role === 'admin' || role === 'auditor') && (
          <Form.Item name="regionCode" label={t('form.region')}>
            <Input style={{ width: 110 }} maxLength={6} />
          </Form.Item>
        )}
        <Space>
          <Button htmlType="submit" type="primary">
            {t('common.search')}
          </Button>
        </Space>
      </Form>
      <ErrorAlert error={error} />
      <Table<VerificationSummary>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('list.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('list.program'), dataIndex: 'program', render: (p: string) => tc('program', p) },
          { title: t('list.purpose'), dataIndex: 'purpose', render: (p: string) => tc('purpose', p) },
          {
            title: t('list.applicant'),
            dataIndex: 'applicant',
            render: (a: VerificationSummary['applicant']) => (a ? `${a.name} ${a.idNumber}` : '—'),
          },
          { title: t('list.members'), dataIndex: 'memberCount' },
          { title: t('list.created'), dataIndex: 'createdAt', render: (d: string) => dateTime(d) },
          { title: t('list.conclusion'), dataIndex: 'conclusion', render: (c: string | null) => <ConclusionTag conclusion={c} /> },
          { title: t('list.review'), dataIndex: 'reviewState', render: (s: string) => <ReviewTag state={s} /> },
          { title: t('common.actions'), key: 'open', render: (_: unknown, row) => <Link to={`/verifications/${row.id}`}>{t('common.open')}</Link> },
        ]}
      />
    </Card>
  );
}
