import { Transform } from 'class-transformer';
import { ValidateBy, buildMessage, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Free text reviewers and officers write (a signature comment, an objection's reason, who objected):
 * trimmed, line breaks normalised to "\n", at most N characters (Unicode code points), and no control
 * characters — none at all in one-line text, only line breaks in multi-line text. Bidirectional
 * override characters (U+202A–U+202E, U+2066–U+2069) are refused as well: they reorder how text is
 * displayed and could make a printed comment say something else than what is stored.
 */
const CONTROL_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_MULTI_LINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

export const MAX_COMMENT_LENGTH = 2000;
export const MAX_REASON_LENGTH = 2000;
export const MAX_RAISED_BY_LENGTH = 200;

/** Trims a string and turns CRLF/CR into LF; anything else passes through for the type check to name. */
export function normaliseText(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : value;
}

/** "is required" when the field is missing, else `message` (for the most basic check of a required field). */
export function requiredOr(message: string): (args: ValidationArguments) => string {
  return (args) => (args.value === undefined || args.value === null ? 'is required' : message);
}

export const NormaliseText = (): PropertyDecorator => Transform(({ value }) => normaliseText(value));

export function characterCount(value: string): number {
  return [...value].length;
}

/** At most `max` characters (code points, so 中 and 😀 count as one each). */
export function HasAtMostCharacters(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasAtMostCharacters',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && characterCount(value) <= max,
        defaultMessage: buildMessage(() => `must be at most ${max} characters`, options),
      },
    },
    options,
  );
}

/** No control characters (line breaks allowed when `multiLine`). */
export function HasNoControlCharacters(multiLine: boolean, options?: ValidationOptions): PropertyDecorator {
  const pattern = multiLine ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE;
  return ValidateBy(
    {
      name: 'hasNoControlCharacters',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !pattern.test(value),
        defaultMessage: buildMessage(
          () => (multiLine ? 'must not contain control characters (line breaks are allowed)' : 'must not contain control characters or line breaks'),
          options,
        ),
      },
    },
    options,
  );
}
