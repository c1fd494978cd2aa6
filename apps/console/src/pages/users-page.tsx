import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import type { UserView } from '../api/types';
import type { Role } from '../auth/session';
import { applyProblem, ErrorAlert, useErrorText, useLoad } from '../components/api-feedback';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';

const ROLES: Role[] = ['officer', 'reviewer', 'auditor', 'admin', 'operator'];

interface NewUser {
  username: string;
  password: string;
  role: Role;
  regionCode: string;
  provider?: string;
}

export default function UsersPage() {
  const { t, tc } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { data, error, loading, reload } = useLoad(() => api<{ items: UserView[] }>('/users'), []);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<NewUser>();
  const [createError, setCreateError] = useState<unknown>(null);
  const role = Form.useWatch('role', form);

  const update = async (username: string, body: Record<string, unknown>) => {
    try {
      await api(`/users/${encodeURIComponent(username)}`, { method: 'PATCH', body });
      message.success(t('users.updated'));
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const create = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setCreateError(null);
    try {
      await api('/users', { method: 'POST', body: { ...values, provider: values.role === 'operator' ? values.provider : undefined } });
      message.success(t('users.created.ok'));
      setCreating(false);
      form.resetFields();
      reload();
    } catch (err) {
      if (!(err instanceof ApiError && err.problem?.errors?.length) || applyProblem(form, err).length) setCreateError(err);
    }
  };

  return (
    <Card title={t('users.title')} extra={<Button type="primary" onClick={() => setCreating(true)}>{t('users.new')}</Button>}>
      <ErrorAlert error={error} />
      <Table<UserView>
        rowKey="username"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="users"
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.role'), dataIndex: 'role', render: (r: string) => <Tag>{tc('role', r)}</Tag> },
          { title: t('users.region'), dataIndex: 'regionCode' },
          { title: t('users.provider'), dataIndex: 'provider', render: (p?: string) => p ?? '—' },
          { title: t('users.active'), dataIndex: 'active', render: (a: boolean, u) => <Switch checked={a} size="small" onChange={(v) => update(u.username, { active: v })} /> },
          { title: t('users.locked'), dataIndex: 'lockedUntil', render: (v: string | null | undefined, u) => (v ? <Space>{dateTime(v)}<Button size="small" onClick={() => update(u.username, { unlock: true })}>{t('users.unlock')}</Button></Space> : '—') },
          { title: t('users.created'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          {
            title: t('common.actions'),
            key: 'role',
            render: (_: unknown, u) => (
              <Select size="small" value={u.role} style={{ width: 110 }} onChange={(r) => update(u.username, { role: r })} options={ROLES.map((r) => ({ value: r, label: tc('role', r) }))} />
            ),
          },
        ]}
      />
      <Modal open={creating} title={t('users.new')} onOk={create} onCancel={() => setCreating(false)}>
        <ErrorAlert error={createError} />
        <Form form={form} layout="vertical" initialValues={{ role: 'officer', regionCode: '500115' }}>
          <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('form.required') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: tc('role', r) }))} />
          </Form.Item>
          <Form.Item name="regionCode" label={t('users.region')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('form.required') }]}>
            <Input maxLength={6} />
          </Form.Item>
          {role === 'operator' && (
            <Form.Item name="provider" label={t('users.provider')} rules={[{ required: true, message: t('form.required') }]}>
              <Input placeholder="tax / bank:ICBC" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
