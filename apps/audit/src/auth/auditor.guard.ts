import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AuditException, AuditExceptionCode } from '../errors/audit.exception';
import { AUDITOR_ROLE, type Auditor } from './auditor';
import { BearerTokenVerifier } from './bearer-token.verifier';

export interface AuthenticatedRequest extends Request {
  auditor?: Auditor;
}

/**
 * Every HTTP route of the audit service needs a valid bearer token (401 otherwise) of the auditor role
 * (403 otherwise). Message handlers (the RPC side of the hybrid app) are not HTTP and pass through.
 */
@Injectable()
export class AuditorGuard implements CanActivate {
  constructor(private readonly tokens: BearerTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new AuditException(AuditExceptionCode.AUTHENTICATION_REQUIRED, 'Send "Authorization: Bearer <token>" (POST /api/v1/auth/token on the gateway).');
    }
    const caller = await this.tokens.verify(match[1]);
    if (!caller) throw new AuditException(AuditExceptionCode.AUTHENTICATION_REQUIRED, 'The token is invalid or has expired; request a new one.');
    request.auditor = caller;
    if (caller.role !== AUDITOR_ROLE) {
      throw new AuditException(AuditExceptionCode.ROLE_NOT_ALLOWED, `The role "${caller.role}" may not read the audit log (allowed: ${AUDITOR_ROLE}).`);
    }
    return true;
  }
}

/** The authenticated auditor (set by AuditorGuard). */
export const CurrentAuditor = createParamDecorator((_: unknown, context: ExecutionContext): Auditor => {
  const auditor = context.switchToHttp().getRequest<AuthenticatedRequest>().auditor;
  if (!auditor) throw new Error('CurrentAuditor used on a route without authentication');
  return auditor;
});
