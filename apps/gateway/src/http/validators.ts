import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { isRealDate, isZonedDateTime } from '@verihub/domain';

/** "YYYY-MM-DD" and a day that exists (2026-02-30 does not). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isRealDate(value),
        defaultMessage: buildMessage(() => 'must be a real date written YYYY-MM-DD', options),
      },
    },
    options,
  );
}

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
export function IsZonedDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isZonedDateTime',
      validator: {
        validate: (value: unknown) => isZonedDateTime(value),
        defaultMessage: buildMessage(() => 'must be an ISO 8601 date-time with offset, e.g. 2026-10-30T09:00:00+08:00', options),
      },
    },
    options,
  );
}

/** An amount in integer fen, ≥ 0 and exactly representable. */
export function IsFen(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFen',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0,
        defaultMessage: buildMessage(() => 'must be an integer amount of fen ≥ 0 (1 yuan = 100 fen)', options),
      },
    },
    options,
  );
}

/** A whole count within [min, max]. */
export function IsCount(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCount',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
        defaultMessage: buildMessage(() => `must be an integer from ${min} to ${max}`, options),
      },
    },
    options,
  );
}

export const REGION_CODE_PATTERN = /^\d{6}$/;
export const REGION_CODE_MESSAGE = 'must be a 6-digit administrative region code';

export function oneOf(values: readonly string[]): string {
  return `must be one of: ${values.join(', ')}`;
}
