import { Button, Card, Table, Tag } from 'antd';
import { useEffect } from 'react';
import { api } from '../api/client';
import type { ProviderHealth } from '../api/types';
import { ErrorAlert, useLoad } from '../components/api-feedback';
import { useProviderLabel } from '../components/labels';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';

const REFRESH_MS = 15_000;

export default function ProvidersPage() {
  const { t, tc } = useI18n();
  const providerLabel = useProviderLabel();
  const { data, error, loading, reload } = useLoad(() => api<{ items: ProviderHealth[] }>('/providers/health'), []);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <Card title={t('providers.title')} extra={<Button onClick={reload}>{t('common.refresh')}</Button>}>
      <ErrorAlert error={error} />
      <Table<ProviderHealth>
        rowKey="provider"
        loading={loading && !data}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="providers"
        columns={[
          { title: t('progress.provider'), dataIndex: 'provider', render: (p: string) => `${providerLabel(p)} (${p})` },
          { title: t('providers.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'up' ? 'green' : 'red'}>{tc('health', s)}</Tag> },
          { title: t('providers.answered'), dataIndex: 'answeredLastHour' },
          { title: t('providers.failed'), dataIndex: 'failedLastHour' },
          { title: t('providers.timedOut'), dataIndex: 'timedOutLastHour' },
          { title: t('providers.lastAnswered'), dataIndex: 'lastAnsweredAt', render: (v: string | null) => dateTime(v) },
        ]}
      />
    </Card>
  );
}
