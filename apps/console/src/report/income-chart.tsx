/**
 * Monthly household income per category over the lookback, as a small SVG line chart (no chart library:
 * four lines and a dozen months do not need one). Months estimated from the provident fund are shaded.
 */
import type { HouseholdReport } from '../api/types';
import { yuan } from '../format';
import { useI18n } from '../i18n/i18n';
import { axisTicks } from './axis';

const CATEGORIES = ['wage', 'business', 'property', 'transfer'] as const;
const COLORS: Record<(typeof CATEGORIES)[number], string> = { wage: '#1d4ed8', business: '#059669', property: '#d97706', transfer: '#7c3aed' };
const W = 760;
const H = 260;
const PAD = { left: 72, right: 16, top: 16, bottom: 40 };

export function IncomeChart({ months }: { months: HouseholdReport['income']['months'] }) {
  const { t, tc } = useI18n();
  if (months.length === 0) return null;
  const values = months.flatMap((m) => CATEGORIES.map((c) => m[c]));
  const ticks = axisTicks(Math.min(0, ...values), Math.max(...values));
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / months.length;
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo || 1)) * plotH;

  return (
    <div>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t('report.chart')} data-testid="income-chart" style={{ maxWidth: W }}>
        {months.map((m, i) =>
          m.estimated ? (
            <g key={`e${m.month}`} data-estimated-month={m.month}>
              <rect x={PAD.left + step * i} y={PAD.top} width={step} height={plotH} fill="#fde68a" opacity={0.45} />
              <text x={x(i)} y={PAD.top + 12} fontSize={11} textAnchor="middle" fill="#92400e">
                *
              </text>
            </g>
          ) : null,
        )}
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke={v === 0 ? '#9ca3af' : '#e5e7eb'} />
            <text x={PAD.left - 6} y={y(v) + 4} fontSize={11} textAnchor="end" fill="#6b7280">
              {yuan(v).replace(/\.00$/, '')}
            </text>
          </g>
        ))}
        {months.map((m, i) => (
          <text key={m.month} x={x(i)} y={H - PAD.bottom + 16} fontSize={11} textAnchor="middle" fill="#374151">
            {m.month.slice(2)}
          </text>
        ))}
        {CATEGORIES.map((c) => (
          <g key={c}>
            <polyline fill="none" stroke={COLORS[c]} strokeWidth={2} points={months.map((m, i) => `${x(i)},${y(m[c])}`).join(' ')} />
            {months.map((m, i) => (
              <circle key={m.month} cx={x(i)} cy={y(m[c])} r={3} fill={COLORS[c]}>
                <title>{`${m.month} ${tc('category', c)} ${yuan(m[c])}${m.estimated && c === 'wage' ? ` (${t('report.estimated')})` : ''}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', fontSize: 12 }}>
        {CATEGORIES.map((c) => (
          <span key={c}>
            <span style={{ display: 'inline-block', width: 12, height: 3, background: COLORS[c], verticalAlign: 'middle', marginRight: 4 }} />
            {tc('category', c)}
          </span>
        ))}
        <span>
          <span style={{ display: 'inline-block', width: 12, height: 10, background: '#fde68a', verticalAlign: 'middle', marginRight: 4 }} />* {t('report.estimated')}
        </span>
      </div>
    </div>
  );
}
