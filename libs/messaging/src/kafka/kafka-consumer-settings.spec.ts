import { kafkaConsumerTimingsOf } from './kafka-consumer-settings';

describe('kafkaConsumerTimingsOf', () => {
  it('drops a crashed member after 10 s (not kafkajs’s 30 s), heartbeating every 3 s', () => {
    expect(kafkaConsumerTimingsOf()).toEqual({ sessionTimeout: 10_000, heartbeatInterval: 3_000, rebalanceTimeout: 60_000 });
  });

  it('takes the timings from ConsumerOptions', () => {
    expect(kafkaConsumerTimingsOf({ sessionTimeoutMs: 45_000, heartbeatIntervalMs: 5_000, rebalanceTimeoutMs: 90_000 })).toEqual({
      sessionTimeout: 45_000,
      heartbeatInterval: 5_000,
      rebalanceTimeout: 90_000,
    });
  });

  it('derives what is left out from the session: a heartbeat within its third, a rebalance at least as long', () => {
    expect(kafkaConsumerTimingsOf({ sessionTimeoutMs: 6_000 })).toEqual({ sessionTimeout: 6_000, heartbeatInterval: 2_000, rebalanceTimeout: 60_000 });
    expect(kafkaConsumerTimingsOf({ sessionTimeoutMs: 120_000 })).toEqual({ sessionTimeout: 120_000, heartbeatInterval: 3_000, rebalanceTimeout: 120_000 });
  });

  it('refuses timings the broker or the group protocol would not work with, naming the setting', () => {
    expect(() => kafkaConsumerTimingsOf({ sessionTimeoutMs: 5_000 })).toThrow(/sessionTimeoutMs must be from 6000/);
    expect(() => kafkaConsumerTimingsOf({ sessionTimeoutMs: 3_600_000 })).toThrow(/sessionTimeoutMs/);
    expect(() => kafkaConsumerTimingsOf({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 4_000 })).toThrow(/at most a third/);
    expect(() => kafkaConsumerTimingsOf({ sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 20_000 })).toThrow(/at least sessionTimeoutMs/);
    expect(() => kafkaConsumerTimingsOf({ heartbeatIntervalMs: 0 })).toThrow(/heartbeatIntervalMs must be a positive/);
    expect(() => kafkaConsumerTimingsOf({ sessionTimeoutMs: 10_000.5 })).toThrow(/sessionTimeoutMs must be a positive/);
  });
});
