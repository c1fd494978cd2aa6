/**
 * One verification: while pending, each provider's progress refreshes every second (polling stops once a
 * report is issued — reading the detail with a report is an audited report read). Then the report, its
 * versions and what changed, the PDF, and the review acts (sign, objection).
 */
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, apiFile, ApiError, saveFile } from '../api/client';
import type { Objection, ReportDocument, ReportVersion, SourceState, VerificationDetail } from '../api/types';
import { getSession } from '../auth/session';
import { applyProblem, ErrorAlert, useErrorText, useLoad } from '../components/api-feedback';
import { ReviewTag, SourceStatusTag, StatusTag, useProviderLabel } from '../components/labels';
import { dateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { ReportView } from '../report/report-view';

const POLL_MS = 1000;
const REPORT_ROLES = ['officer', 'reviewer', 'admin'];

export default function VerificationPage({ id }: { id: string }) {
  const { t, tc } = useI18n();
  const role = getSession()?.user.role ?? 'officer';
  const [detail, setDetail] = useState<VerificationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const d = await api<VerificationDetail>(`/verifications/${id}`);
        if (!live) return;
        setDetail(d);
        setError(null);
        if (d.status === 'pending') timer = setTimeout(poll, POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id, tick]);

  if (!detail) return error ? <ErrorAlert error={error} /> : <Card loading />;
  const done = detail.sources.filter((s) => s.status !== 'pending').length;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <ErrorAlert error={error} />
      <Card
        title={
          <Space>
            {t('report.title')}
            <StatusTag status={detail.status} />
            <ReviewTag state={detail.reviewState} />
          </Space>
        }
        extra={<Button onClick={() => setTick((n) => n + 1)}>{t('common.refresh')}</Button>}
        data-testid="verification-header"
      >
        <Descriptions size="small" column={4}>
          <Descriptions.Item label={t('list.program')}>{tc('program', detail.program)}</Descriptions.Item>
          <Descriptions.Item label={t('list.purpose')}>{tc('purpose', detail.purpose)}</Descriptions.Item>
          <Descriptions.Item label={t('form.region')}>{detail.regionCode}</Descriptions.Item>
          <Descriptions.Item label={t('report.asOf')}>{detail.asOf}</Descriptions.Item>
          <Descriptions.Item label={t('list.created')}>{dateTime(detail.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('report.members')} span={3}>
            {detail.members.map((m) => `${m.name}（${tc('relation', m.relation)}）${m.idNumber}`).join('；')}
          </Descriptions.Item>
        </Descriptions>
        {/* Once a readable report is issued its sources section shows the same; the progress is for the wait. */}
        {(detail.status === 'pending' || !detail.report) && <ProgressPanel sources={detail.sources} done={done} pending={detail.status === 'pending'} />}
      </Card>
      {detail.reportVersion > 0 && REPORT_ROLES.includes(role) && detail.report && (
        <ReportSection detail={detail} newest={detail.report} onChanged={() => setTick((n) => n + 1)} />
      )}
      {detail.reportVersion > 0 && !REPORT_ROLES.includes(role) && <Alert type="info" title={t('report.notReadable')} />}
    </Space>
  );
}

function ProgressPanel({ sources, done, pending }: { sources: SourceState[]; done: number; pending: boolean }) {
  const { t } = useI18n();
  const providerLabel = useProviderLabel();
  return (
    <div data-testid="progress">
      <Space style={{ margin: '12px 0' }}>
        <Typography.Text strong>{t('progress.title')}</Typography.Text>
        <Progress percent={Math.round((done / Math.max(sources.length, 1)) * 100)} size="small" style={{ width: 200 }} status={pending ? 'active' : undefined} />
        <Typography.Text data-testid="progress-count">{t('progress.answered', { done, total: sources.length })}</Typography.Text>
        {pending && <Tag color="processing">{t('progress.polling')}</Tag>}
      </Space>
      <Table
        size="small"
        pagination={false}
        rowKey="provider"
        dataSource={sources}
        columns={[
          { title: t('progress.provider'), dataIndex: 'provider', render: (p: string) => providerLabel(p) },
          { title: t('progress.status'), dataIndex: 'status', render: (s: string, r) => <><SourceStatusTag status={s} />{r.late && <Tag color="orange">{t('progress.late')}</Tag>}</> },
          { title: t('progress.records'), dataIndex: 'records' },
          { title: t('progress.respondedAt'), dataIndex: 'respondedAt', render: (v: string | null) => dateTime(v) },
        ]}
      />
    </div>
  );
}

function ReportSection({ detail, newest, onChanged }: { detail: VerificationDetail; newest: ReportDocument; onChanged: () => void }) {
  const { t, tc } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const role = getSession()?.user.role;
  const [version, setVersion] = useState(newest.version);
  const [older, setOlder] = useState<ReportDocument | null>(null);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [signing, setSigning] = useState(false);
  const [objecting, setObjecting] = useState(false);
  const versions = useLoad(() => api<{ items: ReportVersion[] }>(`/verifications/${detail.id}/report/versions`), [detail.id, newest.version]);
  const objections = useLoad(() => api<{ items: Objection[] }>(`/verifications/${detail.id}/objections`), [detail.id, newest.version, detail.reviewState]);

  useEffect(() => {
    setOlder(null);
    setOlderError(null);
    if (version === newest.version) return;
    api<ReportDocument>(`/verifications/${detail.id}/report`, { query: { version } }).then(setOlder, setOlderError);
  }, [version, newest.version, detail.id]);

  const report = version === newest.version ? newest : older;
  const downloadPdf = async () => {
    try {
      const { blob, fileName } = await apiFile(`/verifications/${detail.id}/report`, { accept: 'application/pdf', query: { version }, fallbackName: `${newest.reportNumber}-v${version}.pdf` });
      saveFile(blob, fileName);
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const isNewest = version === newest.version;

  return (
    <>
      <Card size="small">
        <Space wrap>
          <span>{t('report.version')}</span>
          <Select
            value={version}
            style={{ width: 260 }}
            onChange={setVersion}
            data-testid="version-select"
            options={(versions.data?.items ?? [{ version: newest.version, changeReason: '', createdAt: newest.issuedAt, changes: null }]).map((v) => ({
              value: v.version,
              label: `v${v.version} · ${dateTime(v.createdAt)}${v.changeReason ? ` · ${v.changeReason}` : ''}`,
            }))}
          />
          <Button type="primary" onClick={downloadPdf} data-testid="download-pdf">
            {t('report.pdf')}
          </Button>
          <Typography.Text data-testid="review-state">
            {report?.review ? t('report.signedBy', { user: report.review.signedBy, at: dateTime(report.review.signedAt) }) : t('report.unsigned')}
            {report?.review?.comment && ` — ${report.review.comment}`}
          </Typography.Text>
          {role === 'reviewer' && isNewest && !newest.review && (
            <Button onClick={() => setSigning(true)} data-testid="sign-report">
              {t('report.sign')}
            </Button>
          )}
          {(role === 'officer' || role === 'reviewer') && isNewest && newest.review && (
            <Button onClick={() => setObjecting(true)} data-testid="record-objection">
              {t('report.objection')}
            </Button>
          )}
        </Space>
      </Card>
      <ErrorAlert error={olderError} />
      {report ? <ReportView report={report} /> : <Card loading />}
      <Card title={t('report.versions')} size="small" data-testid="versions">
        <ErrorAlert error={versions.error} />
        <Table
          size="small"
          pagination={false}
          rowKey="version"
          dataSource={versions.data?.items ?? []}
          columns={[
            { title: t('report.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
            { title: t('report.issuedAt'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
            { title: t('report.changeReason'), dataIndex: 'changeReason' },
            {
              title: t('report.changes'),
              dataIndex: 'changes',
              render: (changes: ReportVersion['changes']) =>
                !changes ? (
                  t('report.firstIssue')
                ) : (
                  <ul style={{ margin: 0, paddingLeft: 16 }}>
                    {changes.slice(0, 20).map((c) => (
                      <li key={c.path}>
                        <Typography.Text code>{c.path}</Typography.Text> {short(c.from)} → {short(c.to)}
                      </li>
                    ))}
                    {changes.length > 20 && <li>… {changes.length - 20}</li>}
                  </ul>
                ),
            },
          ]}
        />
      </Card>
      {(objections.data?.items.length ?? 0) > 0 && (
        <Card title={t('report.objections')} size="small">
          <Table
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={objections.data?.items ?? []}
            columns={[
              { title: t('report.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
              { title: t('report.reason'), dataIndex: 'reason' },
              { title: t('report.raisedBy'), dataIndex: 'raisedBy' },
              { title: t('report.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => dateTime(v) },
              { title: t('report.periodLastDay'), dataIndex: 'periodLastDay' },
              { title: t('report.objectionState'), dataIndex: 'state', render: (s: string, o) => `${tc('objectionState', s)}${o.answeredByVersion ? ` (v${o.answeredByVersion})` : ''}` },
            ]}
          />
        </Card>
      )}
      <SignModal open={signing} id={detail.id} version={newest.version} onClose={() => setSigning(false)} onDone={onChanged} />
      <ObjectionModal open={objecting} id={detail.id} onClose={() => setObjecting(false)} onDone={onChanged} />
    </>
  );
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? '—' : text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function SignModal({ open, id, version, onClose, onDone }: { open: boolean; id: string; version: number; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ comment?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/verifications/${id}/report/signature`, { method: 'POST', body: { version, comment: form.getFieldValue('comment') || undefined } });
      message.success(t('report.signed'));
      onClose();
      onDone();
    } catch (err) {
      // field errors go next to the field; anything else (e.g. a newer version exists) above the form
      if (!(err instanceof ApiError && err.problem?.errors?.length) || applyProblem(form, err).length) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('report.signTitle', { version })} onCancel={onClose} onOk={submit} confirmLoading={busy} okButtonProps={{ id: 'confirm-sign' }}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical">
        <Form.Item name="comment" label={t('report.comment')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="sign-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ObjectionModal({ open, id, onClose, onDone }: { open: boolean; id: string; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string; raisedBy?: string; receivedAt?: Dayjs }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/verifications/${id}/objections`, {
        method: 'POST',
        body: { reason: values.reason, raisedBy: values.raisedBy || undefined, receivedAt: values.receivedAt ? values.receivedAt.format('YYYY-MM-DDTHH:mm:ssZ') : undefined },
      });
      message.success(t('report.objectionRecorded'));
      form.resetFields();
      onClose();
      onDone();
    } catch (err) {
      if (!(err instanceof ApiError && err.problem?.errors?.length) || applyProblem(form, err).length) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('report.objection')} onCancel={onClose} onOk={submit} confirmLoading={busy}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('report.reason')} rules={[{ required: true, message: t('form.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="raisedBy" label={t('report.raisedBy')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="receivedAt" label={t('report.receivedAt')}>
          <DatePicker showTime style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
