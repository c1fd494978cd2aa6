import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COUNT_WINDOW_MS, LAST_ANSWER_LOOKBACK_HOURS, type ProviderCounts } from './provider-health';

/** Clock skew allowed between the aggregator's respondedAt and the gateway's updated_at. */
const SKEW_MS = 5 * 60 * 1000;

/**
 * Counts each provider's answers from the read model: gateway.verifications.sources (jsonb, one entry
 * per provider with status and respondedAt, as the aggregator last reported). Bounded: only rows updated
 * within LAST_ANSWER_LOOKBACK_HOURS (index verifications_updated_idx) are unnested; a source's state
 * changes only with an update of its row, so no answer in the window is missed. Timeouts have no
 * respondedAt and count by the row's updated_at (when the partial state arrived).
 * Fine at today's volumes; at batch scale this becomes a per-provider counter table fed by the same updates.
 */
@Injectable()
export class ProviderHealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Counts for `provider`, or for every provider seen, when undefined. */
  async counts(now: Date, provider?: string): Promise<ProviderCounts[]> {
    const hourAgo = new Date(now.getTime() - COUNT_WINDOW_MS);
    const lookback = new Date(now.getTime() - LAST_ANSWER_LOOKBACK_HOURS * COUNT_WINDOW_MS - SKEW_MS);
    const rows: Array<{ provider: string; answered: string; failed: string; timedOut: string; lastAnsweredAt: Date | null }> =
      await this.dataSource.query(
        `WITH recent AS (
           SELECT s.value ->> 'provider' AS provider, s.value ->> 'status' AS status, v.updated_at,
                  CASE WHEN s.value ->> 'respondedAt' ~ '^\\d{4}-\\d{2}-\\d{2}T'
                       THEN (s.value ->> 'respondedAt')::timestamptz END AS responded_at
           FROM gateway.verifications v CROSS JOIN LATERAL jsonb_array_elements(v.sources) s
           WHERE v.updated_at >= $1 AND ($3::text IS NULL OR v.sources @> jsonb_build_array(jsonb_build_object('provider', $3::text)))
         )
         SELECT provider,
                count(*) FILTER (WHERE status IN ('answered', 'no_record') AND responded_at >= $2) AS answered,
                count(*) FILTER (WHERE status = 'error' AND COALESCE(responded_at, updated_at) >= $2) AS failed,
                count(*) FILTER (WHERE status = 'timeout' AND updated_at >= $2) AS "timedOut",
                max(responded_at) FILTER (WHERE status IN ('answered', 'no_record')) AS "lastAnsweredAt"
         FROM recent
         WHERE $3::text IS NULL OR provider = $3::text
         GROUP BY provider
         ORDER BY provider`,
        [lookback, hourAgo, provider ?? null],
      );
    return rows.map((r) => ({
      provider: r.provider,
      answeredLastHour: Number(r.answered),
      failedLastHour: Number(r.failed),
      timedOutLastHour: Number(r.timedOut),
      lastAnsweredAt: r.lastAnsweredAt ? new Date(r.lastAnsweredAt) : null,
    }));
  }
}
