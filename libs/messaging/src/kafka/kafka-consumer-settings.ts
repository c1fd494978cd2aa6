import type { ConsumerOptions } from '../message';

/** The group-membership timings of a kafkajs consumer, in ms. */
export interface KafkaConsumerTimings {
  sessionTimeout: number;
  heartbeatInterval: number;
  rebalanceTimeout: number;
}

export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;
export const DEFAULT_REBALANCE_TIMEOUT_MS = 60_000;
/** The broker's default group.min.session.timeout.ms: a shorter session is refused at join time. */
export const BROKER_MIN_SESSION_TIMEOUT_MS = 6_000;
/** The broker's default group.max.session.timeout.ms. */
export const BROKER_MAX_SESSION_TIMEOUT_MS = 1_800_000;

/**
 * The consumer's session, heartbeat and rebalance timeouts from ConsumerOptions, checked up front (a bad
 * combination would otherwise surface as a join failure or a member the coordinator keeps dropping):
 * - the session is what a crashed member costs: its partitions wait this long before anyone else (or the
 *   restarted process) gets them — 10 s by default instead of kafkajs's 30 s;
 * - heartbeats at most every third of the session, so one lost heartbeat does not cost the membership;
 * - a rebalance waits at least a session for members to rejoin (the coordinator needs that long to tell a
 *   slow member from a dead one).
 * Handlers may run longer than a session: the message server heartbeats while one is in progress.
 */
export function kafkaConsumerTimingsOf(options: ConsumerOptions = {}): KafkaConsumerTimings {
  const sessionTimeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const heartbeatInterval = options.heartbeatIntervalMs ?? Math.min(DEFAULT_HEARTBEAT_INTERVAL_MS, Math.floor(sessionTimeout / 3));
  const rebalanceTimeout = options.rebalanceTimeoutMs ?? Math.max(DEFAULT_REBALANCE_TIMEOUT_MS, sessionTimeout);
  const whole = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`consumer.${name} must be a positive whole number of ms, not ${value}`);
  };
  whole('sessionTimeoutMs', sessionTimeout);
  whole('heartbeatIntervalMs', heartbeatInterval);
  whole('rebalanceTimeoutMs', rebalanceTimeout);
  if (sessionTimeout < BROKER_MIN_SESSION_TIMEOUT_MS || sessionTimeout > BROKER_MAX_SESSION_TIMEOUT_MS) {
    throw new Error(
      `consumer.sessionTimeoutMs must be from ${BROKER_MIN_SESSION_TIMEOUT_MS} to ${BROKER_MAX_SESSION_TIMEOUT_MS} ms ` +
        `(the broker's default group.min/max.session.timeout.ms), not ${sessionTimeout}`,
    );
  }
  if (heartbeatInterval * 3 > sessionTimeout) {
    throw new Error(
      `consumer.heartbeatIntervalMs (${heartbeatInterval}) must be at most a third of sessionTimeoutMs (${sessionTimeout})`,
    );
  }
  if (rebalanceTimeout < sessionTimeout) {
    throw new Error(`consumer.rebalanceTimeoutMs (${rebalanceTimeout}) must be at least sessionTimeoutMs (${sessionTimeout})`);
  }
  return { sessionTimeout, heartbeatInterval, rebalanceTimeout };
}
