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
  /** Every service -> the audit service (AuditEventBatch: events emitted together); key: the emitting service. */
  auditEventsRecorded: 'verihub.audit.events-recorded.v1',
  /** Gateway -> aggregator (AuthorizationRevoked): stop queries under a revoked authorization; key: authorization id. */
  authorizationRevoked: 'verihub.authorization.revoked.v1',
  deadLetter: 'verihub.deadletter.v1',
} as const;

/**
 * The batch lane (issue 5): batch checks travel on their own copies of the request, answer and update
 * topics — the same name with a `.batch` segment before the version — consumed by separate consumers
 * (libs/messaging: a topic with a `.batch.` segment gets its own consumer group), so a backlog of batch
 * work never delays an interactive check's messages.
 */
export const BATCH_LANE_SEGMENT = '.batch';

/** `verihub.provider.query-answered.v1` → `verihub.provider.query-answered.batch.v1`. */
export function batchLane(topic: string): string {
  const version = /\.v\d+$/.exec(topic);
  if (!version) throw new Error(`topic ${topic} has no version suffix`);
  return `${topic.slice(0, version.index)}${BATCH_LANE_SEGMENT}${version[0]}`;
}

/** A laned topic and its batch lane: what a consumer of both subscribes to, and what an app creates. */
export function bothLanes(topic: string): [string, string] {
  return [topic, batchLane(topic)];
}

/** The topic of a message on its lane: interactive (the topic itself) or batch. */
export function onLane(topic: string, interactive: boolean): string {
  return interactive ? topic : batchLane(topic);
}

/** Where audit events travel: one a message, or many (AuditEventBatch, see packAuditEvents). */
export const AUDIT_EVENT_TOPICS = [Topics.auditEventRecorded, Topics.auditEventsRecorded] as const;

/** Topics that have a batch lane. */
export const LANED_TOPICS = [Topics.verificationRequested, Topics.verificationUpdated, Topics.queryAnswered, Topics.queryFailed] as const;

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
  const requests = providerIds.map(queryRequestedTopic);
  return [...Object.values(Topics), ...LANED_TOPICS.map(batchLane), ...requests.flatMap(bothLanes)];
}
