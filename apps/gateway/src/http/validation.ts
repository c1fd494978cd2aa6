import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@verihub/domain';
import { GatewayException } from '../errors/gateway.exception';

/** Friendlier wording for the constraints class-validator names itself. */
const BUILT_IN_MESSAGES: Record<string, string> = {
  whitelistValidation: 'is not an accepted field',
  nestedValidation: 'must be an object',
  isObject: 'must be a JSON object',
  unknownValue: 'must be a JSON object',
};

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/**
 * Flattens class-validator's tree into field paths as clients write them: `members[1].idNumber`, one
 * message per field. DTOs list a property's most basic check first (top-most decorator, e.g. "must be a
 * string" before "must not be empty"); class-validator runs decorators bottom-up, so when several fail
 * the last one reported is the most basic, and that is the one named.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    // Nested validation runs after the other checks; it speaks only when nothing more basic failed.
    const all = Object.entries(error.constraints ?? {});
    const basic = all.filter(([constraint]) => constraint !== 'nestedValidation');
    const constraints = basic.length > 0 ? basic : all;
    if (constraints.length > 0) {
      const [constraint, message] = constraints[constraints.length - 1];
      out.push({ field: field === 'body' ? '' : field, message: BUILT_IN_MESSAGES[constraint] ?? message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Adds to Nest's pipe: a body that is not a JSON object (an array, a string) is refused as a whole. */
class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDtoBody = metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (isDtoBody && value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw GatewayException.invalidInput([{ field: '', message: 'must be a JSON object' }], 'The request body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

/**
 * The HTTP side's validation: unknown fields are refused (not silently dropped), types are never
 * coerced implicitly (12.5 or "100" is not integer fen), and errors name field paths.
 */
export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => GatewayException.invalidInput(flattenValidationErrors(errors)),
  });
}
