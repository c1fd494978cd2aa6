import { Tag } from 'antd';
import { useI18n } from '../i18n/i18n';

const STATUS_COLORS: Record<string, string> = { pending: 'processing', complete: 'success', partial: 'warning' };
const CONCLUSION_COLORS: Record<string, string> = { within_limits: 'green', exceeds_limits: 'red', incomplete: 'orange' };
const OUTCOME_COLORS: Record<string, string> = { pass: 'green', fail: 'red', unknown: 'orange' };
const SOURCE_COLORS: Record<string, string> = { answered: 'green', no_record: 'blue', timeout: 'orange', error: 'red', not_queried: 'default', pending: 'processing' };
const REVIEW_COLORS: Record<string, string> = { unsigned: 'gold', signed: 'green', objection_open: 'purple' };

export function StatusTag({ status }: { status: string }) {
  const { tc } = useI18n();
  return <Tag color={STATUS_COLORS[status]} data-status={status}>{tc('status', status)}</Tag>;
}

export function ConclusionTag({ conclusion, large }: { conclusion: string | null; large?: boolean }) {
  const { tc } = useI18n();
  if (!conclusion) return <span>—</span>;
  return (
    <Tag color={CONCLUSION_COLORS[conclusion]} data-conclusion={conclusion} style={large ? { fontSize: 16, padding: '4px 12px' } : undefined}>
      {tc('conclusion', conclusion)}
    </Tag>
  );
}

export function OutcomeTag({ outcome }: { outcome: string }) {
  const { tc } = useI18n();
  return <Tag color={OUTCOME_COLORS[outcome]} data-outcome={outcome}>{tc('outcome', outcome)}</Tag>;
}

export function SourceStatusTag({ status }: { status: string }) {
  const { tc } = useI18n();
  return <Tag color={SOURCE_COLORS[status]} data-source-status={status}>{tc('sourceStatus', status)}</Tag>;
}

export function ReviewTag({ state }: { state: string }) {
  const { tc } = useI18n();
  return <Tag color={REVIEW_COLORS[state]}>{tc('reviewState', state)}</Tag>;
}

/** A provider id ("bank:ICBC", "tax") in words. */
export function useProviderLabel(): (provider: string | null | undefined) => string {
  const { tc } = useI18n();
  return (provider) => {
    if (!provider) return '—';
    if (provider.startsWith('bank:')) return `${tc('department', 'bank')} ${provider.slice(5)}`;
    return tc('department', provider);
  };
}
