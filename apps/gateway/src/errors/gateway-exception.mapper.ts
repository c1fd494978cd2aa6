import { HttpStatus } from '@nestjs/common';
import { GatewayException, GatewayExceptionCode } from './gateway.exception';
import { ProblemDetails, problemType } from './problem';

function assertUnreachable(value: never): never {
  throw new Error(`unmapped gateway exception code ${String(value)}`);
}

interface ProblemKind {
  status: number;
  slug: string;
  title: string;
}

/** Exhaustive: a new code does not compile until it has an HTTP status and a problem type. */
export function problemKindOf(code: GatewayExceptionCode): ProblemKind {
  switch (code) {
    case GatewayExceptionCode.INVALID_INPUT:
      return { status: HttpStatus.BAD_REQUEST, slug: 'invalid-input', title: 'Invalid input' };
    case GatewayExceptionCode.MALFORMED_BODY:
      return { status: HttpStatus.BAD_REQUEST, slug: 'malformed-body', title: 'Malformed request body' };
    case GatewayExceptionCode.BODY_TOO_LARGE:
      return { status: HttpStatus.PAYLOAD_TOO_LARGE, slug: 'body-too-large', title: 'Request body too large' };
    case GatewayExceptionCode.UNSUPPORTED_BODY:
      return { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, slug: 'unsupported-body', title: 'Unsupported request body' };
    case GatewayExceptionCode.INVALID_CREDENTIALS:
      return { status: HttpStatus.UNAUTHORIZED, slug: 'invalid-credentials', title: 'Invalid credentials' };
    case GatewayExceptionCode.AUTHENTICATION_REQUIRED:
      return { status: HttpStatus.UNAUTHORIZED, slug: 'authentication-required', title: 'Authentication required' };
    case GatewayExceptionCode.ROLE_NOT_ALLOWED:
      return { status: HttpStatus.FORBIDDEN, slug: 'role-not-allowed', title: 'Forbidden for this role' };
    case GatewayExceptionCode.REGION_NOT_ALLOWED:
      return { status: HttpStatus.FORBIDDEN, slug: 'region-not-allowed', title: 'Forbidden for this region' };
    case GatewayExceptionCode.VERIFICATION_NOT_FOUND:
      return { status: HttpStatus.NOT_FOUND, slug: 'verification-not-found', title: 'Verification not found' };
    case GatewayExceptionCode.REPORT_NOT_ISSUED:
      return { status: HttpStatus.NOT_FOUND, slug: 'report-not-issued', title: 'Report not issued yet' };
    case GatewayExceptionCode.REPORT_VERSION_NOT_FOUND:
      return { status: HttpStatus.NOT_FOUND, slug: 'report-version-not-found', title: 'Report version not found' };
    case GatewayExceptionCode.NO_APPLICABLE_POLICY:
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, slug: 'no-applicable-policy', title: 'No applicable policy' };
    case GatewayExceptionCode.USERNAME_TAKEN:
      return { status: HttpStatus.CONFLICT, slug: 'username-taken', title: 'Username taken' };
    case GatewayExceptionCode.REPRESENTATION_NOT_AVAILABLE:
      return { status: HttpStatus.NOT_ACCEPTABLE, slug: 'representation-not-available', title: 'Representation not available' };
    case GatewayExceptionCode.REPORT_VERSION_SUPERSEDED:
      return { status: HttpStatus.CONFLICT, slug: 'report-version-superseded', title: 'A newer report version exists' };
    case GatewayExceptionCode.REPORT_ALREADY_SIGNED:
      return { status: HttpStatus.CONFLICT, slug: 'report-already-signed', title: 'Report version already signed' };
    case GatewayExceptionCode.REPORT_NOT_SIGNED:
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, slug: 'report-not-signed', title: 'Report not signed' };
    case GatewayExceptionCode.OBJECTION_ALREADY_OPEN:
      return { status: HttpStatus.CONFLICT, slug: 'objection-already-open', title: 'An objection is already being re-checked' };
    case GatewayExceptionCode.OBJECTION_PERIOD_OVER:
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, slug: 'objection-period-over', title: 'Objection period over' };
    case GatewayExceptionCode.OBJECTION_DATES_INCONSISTENT:
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, slug: 'objection-dates-inconsistent', title: 'Objection dates inconsistent' };
    case GatewayExceptionCode.SIGN_IN_LOCKED:
      return { status: HttpStatus.TOO_MANY_REQUESTS, slug: 'sign-in-locked', title: 'Too many failed sign-ins' };
    case GatewayExceptionCode.RATE_LIMITED:
      return { status: HttpStatus.TOO_MANY_REQUESTS, slug: 'rate-limited', title: 'Too many requests' };
    case GatewayExceptionCode.USER_NOT_FOUND:
      return { status: HttpStatus.NOT_FOUND, slug: 'user-not-found', title: 'User not found' };
    case GatewayExceptionCode.LAST_ACTIVE_ADMIN:
      return { status: HttpStatus.CONFLICT, slug: 'last-active-admin', title: 'The last active administrator must remain' };
    case GatewayExceptionCode.AUDIT_UNAVAILABLE:
      return { status: HttpStatus.SERVICE_UNAVAILABLE, slug: 'audit-unavailable', title: 'The access could not be recorded' };
    case GatewayExceptionCode.AUDIT_SERVICE_NOT_CONFIGURED:
      return { status: HttpStatus.SERVICE_UNAVAILABLE, slug: 'audit-service-not-configured', title: 'Audit service not configured' };
    case GatewayExceptionCode.AUDIT_SERVICE_UNREACHABLE:
      return { status: HttpStatus.BAD_GATEWAY, slug: 'audit-service-unreachable', title: 'Audit service unreachable' };
    case GatewayExceptionCode.AUTHORIZATION_NOT_FOUND:
      return { status: HttpStatus.NOT_FOUND, slug: 'authorization-not-found', title: 'Authorization not found' };
    case GatewayExceptionCode.AUTHORIZATION_ALREADY_REVOKED:
      return { status: HttpStatus.CONFLICT, slug: 'authorization-already-revoked', title: 'Authorization already revoked' };
    case GatewayExceptionCode.AUTHORIZATION_NOT_VALID:
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, slug: 'authorization-not-valid', title: 'A member’s authorization is no longer valid' };
    case GatewayExceptionCode.BATCH_NOT_FOUND:
      return { status: HttpStatus.NOT_FOUND, slug: 'batch-not-found', title: 'Batch not found' };
    case GatewayExceptionCode.BATCH_FINISHED:
      return { status: HttpStatus.CONFLICT, slug: 'batch-finished', title: 'The batch has already finished' };
    default:
      return assertUnreachable(code);
  }
}

export function gatewayExceptionToProblem(exception: GatewayException): ProblemDetails {
  const kind = problemKindOf(exception.code);
  return { type: problemType(kind.slug), title: kind.title, status: kind.status, detail: exception.detail, errors: exception.errors };
}
