import type { FieldError } from '@verihub/domain';

/** Every way the auditor API refuses a request; each maps to one problem type (audit-exception.mapper.ts). */
export enum AuditExceptionCode {
  INVALID_INPUT = 'INVALID_INPUT',
  AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED',
  ROLE_NOT_ALLOWED = 'ROLE_NOT_ALLOWED',
}

/** A refusal with a code, a human-readable detail and, for bad input, the offending fields. */
export class AuditException extends Error {
  constructor(
    readonly code: AuditExceptionCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'AuditException';
  }

  static invalidInput(errors: FieldError[], detail = 'The request is invalid; see errors for each field.'): AuditException {
    return new AuditException(AuditExceptionCode.INVALID_INPUT, detail, errors);
  }
}
