import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@verihub/domain';
import { AuditException } from '../errors/audit.exception';

const BUILT_IN_MESSAGES: Record<string, string> = {
  whitelistValidation: 'is not an accepted parameter',
  nestedValidation: 'must be an object',
  isObject: 'must be a JSON object',
  unknownValue: 'must be a JSON object',
};

/** One message per field (the most basic check that failed: decorators run bottom-up). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    const own: FieldError[] = constraints.length > 0 ? [{ field, message: BUILT_IN_MESSAGES[constraints.at(-1)![0]] ?? constraints.at(-1)![1] }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Unknown parameters are refused, nothing is coerced implicitly, values are never echoed in messages. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AuditException.invalidInput(flattenValidationErrors(errors)),
  });
}
