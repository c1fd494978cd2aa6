import { HttpStatus } from '@nestjs/common';
import { AuditException, AuditExceptionCode } from './audit.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, as every error response of the auditor API carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: { field: string; message: string }[];
}

export function problemType(slug: string): string {
  return `urn:verihub:problem:${slug}`;
}

function assertUnreachable(value: never): never {
  throw new Error(`unmapped audit exception code ${String(value)}`);
}

/** Exhaustive: a new code does not compile until it has an HTTP status and a problem type. */
export function problemKindOf(code: AuditExceptionCode): { status: number; slug: string; title: string } {
  switch (code) {
    case AuditExceptionCode.INVALID_INPUT:
      return { status: HttpStatus.BAD_REQUEST, slug: 'invalid-input', title: 'Invalid input' };
    case AuditExceptionCode.AUTHENTICATION_REQUIRED:
      return { status: HttpStatus.UNAUTHORIZED, slug: 'authentication-required', title: 'Authentication required' };
    case AuditExceptionCode.ROLE_NOT_ALLOWED:
      return { status: HttpStatus.FORBIDDEN, slug: 'role-not-allowed', title: 'Forbidden for this role' };
    default:
      return assertUnreachable(code);
  }
}

export function auditExceptionToProblem(exception: AuditException): ProblemDetails {
  const kind = problemKindOf(exception.code);
  return { type: problemType(kind.slug), title: kind.title, status: kind.status, detail: exception.detail, errors: exception.errors };
}
