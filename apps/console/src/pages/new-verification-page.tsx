import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from 'antd';
import { todayInShanghai } from '@verihub/domain/identity-number';
import { PROGRAMS, PURPOSES, RELATIONS } from '@verihub/domain/verification-request';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, ApiError } from '../api/client';
import { getSession } from '../auth/session';
import { applyProblem, ErrorAlert } from '../components/api-feedback';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';
import { describeIdentityNumber, formPathOf, fromRequest, toRequest, type MemberForm, type VerificationForm } from './verification-form';

const DRAFT = 'new-verification';

/** DatePicker ↔ ISO 8601 with offset, as the API wants timestamps. */
const isoDateTime = {
  getValueProps: (value?: string) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value?: Dayjs | null) => (value ? value.format('YYYY-MM-DDTHH:mm:ssZ') : undefined),
};
const isoDate = {
  getValueProps: (value?: string) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value?: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined),
};

function emptyMember(relation: MemberForm['relation']): Partial<MemberForm> {
  const now = dayjs();
  return { relation, signedAt: now.startOf('day').format('YYYY-MM-DDTHH:mm:ssZ'), expiresAt: now.add(1, 'year').endOf('day').format('YYYY-MM-DDTHH:mm:ssZ') };
}

export default function NewVerificationPage() {
  const { t, tc } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<VerificationForm>();
  const today = todayInShanghai();
  const [draft] = useState(() => loadDraft<VerificationForm>(DRAFT));
  const [submitting, setSubmitting] = useState(false);
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const [importText, setImportText] = useState('');
  const [importError, setImportError] = useState(false);
  const members = Form.useWatch('members', form) as MemberForm[] | undefined;

  const initialValues = useMemo<Partial<VerificationForm>>(
    () => draft ?? { program: 'dibao', purpose: 'application', regionCode: getSession()?.user.regionCode ?? '', members: [emptyMember('applicant') as MemberForm] },
    [draft],
  );

  const idRule = {
    validator: async (_: unknown, value?: string) => {
      if (!value) throw new Error(t('form.required'));
      const d = describeIdentityNumber(value.trim(), today);
      if (d.valid) return;
      if (d.problem === 'check_digit') throw new Error(t('id.check_digit', { expected: d.expected ?? '?', actual: value.trim()[17] }));
      if (d.problem === 'birth_date') throw new Error(t('id.birth_date', { birth: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}` }));
      throw new Error(t('id.format'));
    },
  };
  const applicantRule = {
    validator: async () => {
      const all = (form.getFieldValue('members') as MemberForm[] | undefined) ?? [];
      if (all.filter((m) => m?.relation === 'applicant').length !== 1) throw new Error(t('form.oneApplicant'));
    },
  };

  const submit = async (values: VerificationForm) => {
    setSubmitting(true);
    setFormErrors([]);
    setFailure(null);
    try {
      const created = await api<{ id: string }>('/verifications', { method: 'POST', body: toRequest({ ...form.getFieldsValue(true), ...values }) });
      clearDraft(DRAFT);
      message.success(t('form.submitted'));
      navigate(`/verifications/${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.problem?.errors?.length) {
        // Each field error goes next to its field; the banner names the rest (or just says to look below).
        const rest = applyProblem(form, err, formPathOf);
        setFormErrors(rest.length ? rest : [err.problem.title ?? t('error.fixFields')]);
      } else setFailure(err);
    } finally {
      setSubmitting(false);
    }
  };

  const doImport = () => {
    const values = fromRequest(importText);
    if (!values) {
      setImportError(true);
      return;
    }
    form.resetFields();
    form.setFieldsValue(values);
    saveDraft(DRAFT, form.getFieldsValue(true));
    setImporting(false);
    setImportText('');
    setImportError(false);
    void form.validateFields(['members']).catch(() => undefined);
  };

  const signerOptions = (members ?? []).map((m, i) => ({ value: m?.idNumber ?? `#${i}`, label: `${m?.name || t('form.member', { n: i + 1 })}${m?.idNumber ? ` (${m.idNumber.slice(0, 6)}…${m.idNumber.slice(-4)})` : ''}` }));

  return (
    <Card
      title={t('form.title')}
      extra={
        <Space>
          <Button onClick={() => setImporting(true)} data-testid="import-json">
            {t('form.import')}
          </Button>
          <Button
            onClick={() => {
              clearDraft(DRAFT);
              form.resetFields();
              form.setFieldsValue({ program: 'dibao', purpose: 'application', regionCode: getSession()?.user.regionCode ?? '', members: [emptyMember('applicant') as MemberForm], declared: undefined, asOf: undefined });
            }}
          >
            {t('form.clear')}
          </Button>
        </Space>
      }
    >
      {draft && <Alert type="info" showIcon title={t('form.draftRestored')} style={{ marginBottom: 16 }} closable />}
      <ErrorAlert error={failure} />
      {formErrors.length > 0 && <Alert type="error" showIcon title={t('error.fixFields')} description={formErrors.join('；')} style={{ marginBottom: 16 }} />}
      <Form<VerificationForm>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={() => saveDraft(DRAFT, form.getFieldsValue(true))}
        onFinish={submit}
        onFinishFailed={() => setFormErrors([])}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item name="program" label={t('form.program')} rules={[{ required: true, message: t('form.required') }]}>
              <Select options={PROGRAMS.map((p) => ({ value: p, label: tc('program', p) }))} data-testid="program" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="purpose" label={t('form.purpose')} rules={[{ required: true, message: t('form.required') }]}>
              <Select options={PURPOSES.map((p) => ({ value: p, label: tc('purpose', p) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="regionCode" label={t('form.region')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('form.required') }]}>
              <Input maxLength={6} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="asOf" label={t('form.asOf')} extra={t('form.asOfHelp')} {...isoDate}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('form.members')}</Typography.Title>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => {
                const member = members?.[index];
                const described = member?.idNumber ? describeIdentityNumber(member.idNumber.trim(), today) : null;
                const signer = members?.find((m) => m?.idNumber && m.idNumber === (member?.signedBy ?? member?.idNumber));
                const signerAge = signer?.idNumber ? describeIdentityNumber(signer.idNumber.trim(), today) : null;
                return (
                  <Card
                    key={field.key}
                    size="small"
                    type="inner"
                    style={{ marginBottom: 12 }}
                    data-testid={`member-${index}`}
                    title={t('form.member', { n: index + 1 })}
                    extra={fields.length > 1 && <Button size="small" danger onClick={() => remove(field.name)}>{t('form.removeMember')}</Button>}
                  >
                    <Row gutter={16}>
                      <Col span={9}>
                        <Form.Item
                          name={[field.name, 'idNumber']}
                          label={t('form.idNumber')}
                          rules={[idRule]}
                          extra={
                            described?.valid ? (
                              <span data-testid={`id-info-${index}`}>
                                {t('form.idInfo', { birth: described.birthDate!, age: described.age!, sex: described.sex === 'M' ? t('form.male') : t('form.female') })}
                                {described.minor && <Typography.Text type="warning">{` · ${t('form.minor')}`}</Typography.Text>}
                              </span>
                            ) : undefined
                          }
                        >
                          <Input maxLength={18} autoComplete="off" data-testid={`member-${index}-id`} />
                        </Form.Item>
                      </Col>
                      <Col span={7}>
                        <Form.Item name={[field.name, 'name']} label={t('form.name')} rules={[{ required: true, message: t('form.required') }]}>
                          <Input maxLength={64} autoComplete="off" data-testid={`member-${index}-name`} />
                        </Form.Item>
                      </Col>
                      <Col span={8}>
                        <Form.Item name={[field.name, 'relation']} label={t('form.relation')} rules={[{ required: true, message: t('form.required') }, applicantRule]}>
                          <Select options={RELATIONS.map((r) => ({ value: r, label: tc('relation', r) }))} />
                        </Form.Item>
                      </Col>
                    </Row>
                    <Typography.Text strong>{t('form.authorization')}</Typography.Text>
                    <Row gutter={16} style={{ marginTop: 8 }}>
                      <Col span={6}>
                        <Form.Item
                          name={[field.name, 'signedBy']}
                          label={t('form.signedBy')}
                          extra={signerAge?.valid && signerAge.minor ? <Typography.Text type="danger">{t('form.signerMinor')}</Typography.Text> : undefined}
                        >
                          <Select options={signerOptions} placeholder={member?.name || t('form.member', { n: index + 1 })} allowClear />
                        </Form.Item>
                      </Col>
                      <Col span={6}>
                        <Form.Item name={[field.name, 'documentRef']} label={t('form.documentRef')} rules={[{ required: true, message: t('form.required') }]}>
                          <Input maxLength={64} placeholder="AUTH-2026-000123" data-testid={`member-${index}-doc`} />
                        </Form.Item>
                      </Col>
                      <Col span={6}>
                        <Form.Item name={[field.name, 'signedAt']} label={t('form.signedAt')} rules={[{ required: true, message: t('form.required') }]} {...isoDateTime}>
                          <DatePicker showTime style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col span={6}>
                        <Form.Item name={[field.name, 'expiresAt']} label={t('form.expiresAt')} rules={[{ required: true, message: t('form.required') }]} {...isoDateTime}>
                          <DatePicker showTime style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                    </Row>
                  </Card>
                );
              })}
              <Button onClick={() => add(emptyMember('spouse'))} style={{ marginBottom: 24 }} data-testid="add-member">
                {t('form.addMember')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('form.declared')}</Typography.Title>
        <Row gutter={16}>
          {(['wage', 'business', 'property', 'transfer'] as const).map((c) => (
            <Col span={6} key={c}>
              <Form.Item name={['declared', 'monthlyIncome', c]} label={tc('category', c)}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} prefix="¥" />
              </Form.Item>
            </Col>
          ))}
          <Col span={8}>
            <Form.Item name={['declared', 'financialAssets']} label={t('form.financialAssets')}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} prefix="¥" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['declared', 'vehicles']} label={t('form.vehicles')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['declared', 'properties']} label={t('form.properties')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="submit-verification">
          {t('form.submit')}
        </Button>
      </Form>

      <Modal open={importing} title={t('form.import')} onOk={doImport} onCancel={() => setImporting(false)} okButtonProps={{ id: 'import-ok' }}>
        <Typography.Paragraph type="secondary">{t('form.importHelp')}</Typography.Paragraph>
        <Input.TextArea rows={8} value={importText} onChange={(e) => setImportText(e.target.value)} status={importError ? 'error' : undefined} data-testid="import-text" />
        {importError && <Typography.Text type="danger">{t('form.importInvalid')}</Typography.Text>}
      </Modal>
    </Card>
  );
}
