import type { MessagingConfig, TransportKind } from './message';

/**
 * Messaging settings of a distributed app, from its environment:
 *   VERIHUB_TRANSPORT  kafka (default) | in-process
 *   KAFKA_BROKERS      comma-separated host:port list (default 127.0.0.1:9092)
 */
export function messagingConfigFromEnv(
  env: NodeJS.ProcessEnv,
  identity: { clientId: string; groupId: string },
): MessagingConfig {
  const transport = (env.VERIHUB_TRANSPORT ?? 'kafka') as TransportKind;
  if (transport !== 'kafka' && transport !== 'in-process') {
    throw new Error(`VERIHUB_TRANSPORT must be "kafka" or "in-process", not "${String(env.VERIHUB_TRANSPORT)}"`);
  }
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (transport === 'kafka' && brokers.length === 0) throw new Error('KAFKA_BROKERS must name at least one broker');
  return { transport, brokers, clientId: identity.clientId, groupId: identity.groupId };
}
