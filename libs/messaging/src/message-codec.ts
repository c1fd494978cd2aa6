import { type IncomingMessage, MalformedMessageError } from './message';

/** What decodeMessage needs of a generated protobuf message type (ts-proto's `X.decode`). */
export interface MessageDecoder<T> {
  decode(input: Uint8Array): T;
}

/** What encodeMessage needs of a generated protobuf message type (ts-proto's `X.encode(v).finish()`). */
export interface MessageEncoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

/**
 * Decodes a message's value; bytes that do not decode throw MalformedMessageError, which sends the message
 * to the dead-letter topic instead of retrying it.
 */
export function decodeMessage<T>(message: IncomingMessage, codec: MessageDecoder<T>): T {
  try {
    return codec.decode(message.value);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new MalformedMessageError(`cannot decode ${message.topic}: ${reason}`);
  }
}

/** The protobuf bytes of `value`, for an OutgoingMessage. */
export function encodeMessage<T>(codec: MessageEncoder<T>, value: T): Uint8Array {
  return codec.encode(value).finish();
}
