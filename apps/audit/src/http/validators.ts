import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { checkIdentityNumber, isZonedDateTime } from '@verihub/domain';

/** A resident identity number valid by GB 11643-1999 (format, birth date, check character); the message never repeats it. */
export function IsIdentityNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdentityNumber',
      validator: {
        validate: (value: unknown) => checkIdentityNumber(value).valid,
        defaultMessage: buildMessage((_eachPrefix, args) => {
          const check = checkIdentityNumber(args?.value);
          return `invalid resident identity number (${check.problem ?? 'format'})`;
        }, options),
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
        defaultMessage: buildMessage(() => 'must be an ISO 8601 date-time with offset, e.g. 2026-11-02T09:00:00+08:00', options),
      },
    },
    options,
  );
}

/** A whole number within [min, max]. */
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
