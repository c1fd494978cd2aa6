/**
 * The topic registry: every topic verihub uses, named `verihub.<area>.<fact>.v<N>` and keyed by
 * verification id. A breaking change to a message is a new topic version, never an edit in place.
 */
export const Topics = {
  verificationRequested: 'verihub.verification.requested.v1',
  verificationUpdated: 'verihub.verification.updated.v1',
  queryAnswered: 'verihub.provider.query-answered.v1',
  queryFailed: 'verihub.provider.query-failed.v1',
  /** Every service -> the audit service (AuditEventRecorded); key: verification id, or the event id without a case. */
  auditEventRecorded: 'verihub.audit.event-recorded.v1',
  /** Gateway -> aggregator (AuthorizationRevoked): stop queries under a revoked authorization; key: authorization id. */
  authorizationRevoked: 'verihub.authorization.revoked.v1',
  deadLetter: 'verihub.deadletter.v1',
} as const;

/** Kafka topic names allow [a-zA-Z0-9._-]: `bank:ICBC` becomes `bank-icbc`. */
export function providerSlug(providerId: string): string {
  return providerId.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Each provider reads its requests from its own topic, so no department sees another's queries. */
export function queryRequestedTopic(providerId: string): string {
  return `verihub.provider.${providerSlug(providerId)}.query-requested.v1`;
}

/** Every topic a deployment with these providers needs, to be created up front (no broker auto-create). */
export function allTopics(providerIds: readonly string[]): string[] {
  return [...Object.values(Topics), ...providerIds.map(queryRequestedTopic)];
}
