import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, ApiError } from '../api/client';
import type { TokenAnswer } from '../api/types';
import { homeOf } from '../auth/home';
import { startSession, takeReturnPath } from '../auth/session';
import { useErrorText } from '../components/api-feedback';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../router';

export function LoginPage({ languageSwitch }: { languageSwitch: ReactNode }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<TokenAnswer>('/auth/token', { method: 'POST', body: values, anonymous: true });
      startSession({ accessToken: answer.accessToken, expiresAt: Date.now() + answer.expiresIn * 1000, user: answer.user });
      navigate(takeReturnPath() ?? homeOf(answer.user.role), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.failed') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
          {languageSwitch}
        </Space>
        <Typography.Paragraph type="secondary">{t('app.subtitle')}</Typography.Paragraph>
        {query.get('expired') && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
