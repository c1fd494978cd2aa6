import { MalformedMessageError } from '@verihub/messaging';
import { AggregatorErrorCode, AggregatorException } from '../use-cases/aggregator.exception';

function assertUnreachable(value: never): never {
  throw new Error(`unhandled aggregator error code ${String(value)}`);
}

/**
 * How a message handler reports a use case's refusal to the transport. Every code is final — the
 * message can never be processed — so each goes to the dead-letter topic with its reason; any other
 * error is rethrown as is and retried.
 */
export function toMessagingError(err: unknown): unknown {
  if (!(err instanceof AggregatorException)) return err;
  switch (err.code) {
    case AggregatorErrorCode.UnknownRequest:
    case AggregatorErrorCode.AnswerMismatch:
    case AggregatorErrorCode.RecordOutsideRequest:
    case AggregatorErrorCode.InvalidRequest:
      return new MalformedMessageError(`${err.code}: ${err.message}`);
    default:
      return assertUnreachable(err.code);
  }
}
