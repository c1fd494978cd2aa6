/** Why the aggregator refuses a message's content; each transport maps the code (handlers: dead letter). */
export enum AggregatorErrorCode {
  /** An answer or failure for a request id the aggregator never issued. */
  UnknownRequest = 'unknown_request',
  /** The answer names another verification or provider than the request it answers. */
  AnswerMismatch = 'answer_mismatch',
  /** The answer carries records about someone the request did not ask about. */
  RecordOutsideRequest = 'record_outside_request',
  /** A request that cannot start a verification (no members, no policy, ...). */
  InvalidRequest = 'invalid_request',
}

export class AggregatorException extends Error {
  constructor(
    readonly code: AggregatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AggregatorException';
  }
}
