import type { FieldError } from '@verihub/domain';

/** Every way the gateway refuses a request; each maps to one problem type (gateway-exception.mapper.ts). */
export enum GatewayExceptionCode {
  INVALID_INPUT = 'INVALID_INPUT',
  MALFORMED_BODY = 'MALFORMED_BODY',
  BODY_TOO_LARGE = 'BODY_TOO_LARGE',
  UNSUPPORTED_BODY = 'UNSUPPORTED_BODY',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED',
  ROLE_NOT_ALLOWED = 'ROLE_NOT_ALLOWED',
  REGION_NOT_ALLOWED = 'REGION_NOT_ALLOWED',
  VERIFICATION_NOT_FOUND = 'VERIFICATION_NOT_FOUND',
  REPORT_NOT_ISSUED = 'REPORT_NOT_ISSUED',
  REPORT_VERSION_NOT_FOUND = 'REPORT_VERSION_NOT_FOUND',
  NO_APPLICABLE_POLICY = 'NO_APPLICABLE_POLICY',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  REPRESENTATION_NOT_AVAILABLE = 'REPRESENTATION_NOT_AVAILABLE',
  REPORT_VERSION_SUPERSEDED = 'REPORT_VERSION_SUPERSEDED',
  REPORT_ALREADY_SIGNED = 'REPORT_ALREADY_SIGNED',
  REPORT_NOT_SIGNED = 'REPORT_NOT_SIGNED',
  OBJECTION_ALREADY_OPEN = 'OBJECTION_ALREADY_OPEN',
  OBJECTION_PERIOD_OVER = 'OBJECTION_PERIOD_OVER',
  OBJECTION_DATES_INCONSISTENT = 'OBJECTION_DATES_INCONSISTENT',
  SIGN_IN_LOCKED = 'SIGN_IN_LOCKED',
  RATE_LIMITED = 'RATE_LIMITED',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  LAST_ACTIVE_ADMIN = 'LAST_ACTIVE_ADMIN',
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  AUDIT_SERVICE_NOT_CONFIGURED = 'AUDIT_SERVICE_NOT_CONFIGURED',
  AUDIT_SERVICE_UNREACHABLE = 'AUDIT_SERVICE_UNREACHABLE',
  AUTHORIZATION_NOT_FOUND = 'AUTHORIZATION_NOT_FOUND',
  AUTHORIZATION_ALREADY_REVOKED = 'AUTHORIZATION_ALREADY_REVOKED',
  AUTHORIZATION_NOT_VALID = 'AUTHORIZATION_NOT_VALID',
  BATCH_NOT_FOUND = 'BATCH_NOT_FOUND',
  BATCH_FINISHED = 'BATCH_FINISHED',
}

/** A refusal with a code, a human-readable detail and, for bad input, the offending fields. */
export class GatewayException extends Error {
  constructor(
    readonly code: GatewayExceptionCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Sent as the Retry-After header (seconds), for refusals that end by themselves (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'GatewayException';
  }

  /** True once the refusal has its own audit event (the access-refusal filter then records none). */
  auditRecorded = false;

  /** Marks the refusal as already audited (e.g. `verification_refused` for want of authorization). */
  audited(): this {
    this.auditRecorded = true;
    return this;
  }

  static invalidInput(errors: FieldError[], detail = 'The request is invalid; see errors for each field.'): GatewayException {
    return new GatewayException(GatewayExceptionCode.INVALID_INPUT, detail, errors);
  }
}
