import type { ConsumerReadiness } from '@verihub/messaging';

export type { ConsumerReadiness };

/**
 * The aggregator's message server as ConsumerReadiness (createMessageServer's result): whether this instance
 * consumes its answers yet. The deadline sweeper waits for it.
 */
export const CONSUMER_READINESS = 'VERIHUB_AGGREGATOR_CONSUMER_READINESS';
