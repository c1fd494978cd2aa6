import { DEAD_LETTER_HEADERS, DEAD_LETTER_TOPIC, type IncomingMessage, type OutgoingMessage } from './message';

/** A message that was moved to the dead-letter topic, with why and where it came from. */
export interface DeadLetter {
  key: string;
  /** The original bytes, untouched. */
  value: Buffer;
  reason: string;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  /** ISO timestamp of the dead-lettering. */
  failedAt: string;
  /** All headers of the dead letter: the original ones plus DEAD_LETTER_HEADERS. */
  headers: Record<string, string>;
}

const MAX_REASON_LENGTH = 1000;

/** The dead letter for `message`: same key and value, original headers kept, DEAD_LETTER_HEADERS added. */
export function deadLetterOf(message: IncomingMessage, reason: string, failedAt: Date = new Date()): OutgoingMessage {
  return {
    topic: DEAD_LETTER_TOPIC,
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DEAD_LETTER_HEADERS.reason]: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason,
      [DEAD_LETTER_HEADERS.originalTopic]: message.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(message.partition ?? 0),
      [DEAD_LETTER_HEADERS.originalOffset]: message.offset ?? '',
      [DEAD_LETTER_HEADERS.failedAt]: failedAt.toISOString(),
    },
  };
}

/** Reads the dead-letter headers of a message of the dead-letter topic. */
export function deadLetterFrom(message: IncomingMessage): DeadLetter {
  const h = message.headers;
  return {
    key: message.key,
    value: message.value,
    reason: h[DEAD_LETTER_HEADERS.reason] ?? '',
    originalTopic: h[DEAD_LETTER_HEADERS.originalTopic] ?? '',
    originalPartition: Number(h[DEAD_LETTER_HEADERS.originalPartition] ?? 0),
    originalOffset: h[DEAD_LETTER_HEADERS.originalOffset] ?? '',
    failedAt: h[DEAD_LETTER_HEADERS.failedAt] ?? '',
    headers: { ...h },
  };
}
