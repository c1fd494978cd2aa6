import { ArgumentsHost, Catch, HttpException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { openFrom, SealedPlaces } from '../database/sealed-columns';
import { PROGRAMS, PURPOSES } from '@verihub/domain';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { problemKindOf } from '../errors/gateway-exception.mapper';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { actorRef, type AuditCaseRef } from './audit-event.message';
import { AuditTrail } from './audit-trail';
import { invalidInputCategories, memberIdNumbersOf } from './invalid-input-audit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function statusOf(exception: unknown): number {
  if (exception instanceof GatewayException) return problemKindOf(exception.code).status;
  if (exception instanceof HttpException) return exception.getStatus();
  return 500;
}

function categoryOf(path: string): string {
  if (path.includes('/report')) return 'report';
  if (path.includes('/objections')) return 'objection';
  if (path.startsWith('/api/v1/authorizations')) return 'authorization';
  return 'household';
}

/**
 * On the routes of cases (verifications, reports, objections, signatures, authorizations): a signed-in
 * caller refused with 403 (role or region) or 404 (not there, or another region's) leaves an
 * `access_refused` audit event — who tried what, about which case and people — recorded best effort
 * before the problem details go out (issue 4 item 8). A verification request refused as bad input (400) leaves
 * a `verification_refused` event naming the fields and rules broken, never the values (invalid-input-audit.ts),
 * unless the refusal recorded its own. Everything else is answered as ProblemDetailsFilter does.
 */
@Catch()
@Injectable()
export class AccessRefusalAuditFilter extends ProblemDetailsFilter {
  constructor(
    private readonly audit: AuditTrail,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const status = statusOf(exception);
    if (host.getType() === 'http' && (status === 403 || status === 404)) {
      const request = host.switchToHttp().getRequest<AuthenticatedRequest>();
      if (request.actor) {
        void this.record(request)
          .catch(() => undefined)
          .finally(() => super.catch(exception, host));
        return;
      }
    }
    if (host.getType() === 'http' && isRefusedVerificationRequest(exception, host.switchToHttp().getRequest<AuthenticatedRequest>())) {
      const request = host.switchToHttp().getRequest<AuthenticatedRequest>();
      if (request.actor) {
        void this.recordInvalidInput(request, (exception as GatewayException).errors)
          .catch(() => undefined)
          .finally(() => super.catch(exception, host));
        return;
      }
    }
    super.catch(exception, host);
  }

  private async recordInvalidInput(request: AuthenticatedRequest, errors: GatewayException['errors']): Promise<void> {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const known = (values: readonly string[], value: unknown) => (typeof value === 'string' && values.includes(value) ? value : undefined);
    await this.audit.recordBestEffort({
      action: 'verification_refused',
      actor: actorRef(request.actor!),
      case: {
        program: known(PROGRAMS, body.program),
        purpose: known(PURPOSES, body.purpose),
        regionCode: typeof body.regionCode === 'string' && /^\d{6}$/.test(body.regionCode) ? body.regionCode : undefined,
      },
      idNumbers: memberIdNumbersOf(body),
      dataCategories: invalidInputCategories(errors),
      status: 'refused',
      recordCount: errors.length,
    });
  }

  private async record(request: AuthenticatedRequest): Promise<void> {
    const path = request.path;
    const id = typeof request.params?.id === 'string' && UUID.test(request.params.id) ? request.params.id.toLowerCase() : undefined;
    let auditCase: AuditCaseRef | undefined;
    let idNumbers: string[] = [];
    let subjects: { idHash: string; idMasked: string }[] = [];
    if (id && path.startsWith('/api/v1/verifications')) {
      auditCase = { verificationId: id };
      const rows: { program: string; purpose: string; region_code: string; members: unknown }[] = await this.dataSource.query(
        `SELECT program, purpose, region_code, members FROM gateway.verifications WHERE id = $1`,
        [id],
      );
      if (rows[0]) {
        auditCase = { verificationId: id, program: rows[0].program, purpose: rows[0].purpose, regionCode: rows[0].region_code };
        idNumbers = openFrom<{ idNumber: string }[]>(SealedPlaces.members, rows[0].members).map((m) => m.idNumber);
      }
    } else if (id && path.startsWith('/api/v1/authorizations')) {
      const rows: { document_ref: string; region_code: string; member_id_hash: string; member_id_masked: string }[] = await this.dataSource.query(
        `SELECT document_ref, region_code, member_id_hash, member_id_masked FROM gateway.authorizations WHERE id = $1`,
        [id],
      );
      if (rows[0]) {
        auditCase = { regionCode: rows[0].region_code, authorizationRefs: [rows[0].document_ref] };
        subjects = [{ idHash: rows[0].member_id_hash, idMasked: rows[0].member_id_masked }];
      }
    }
    await this.audit.recordBestEffort({
      action: 'access_refused',
      actor: actorRef(request.actor!),
      case: auditCase,
      idNumbers,
      subjects,
      dataCategories: [categoryOf(path)],
      status: 'refused',
    });
  }
}

/** A POST /api/v1/verifications refused as bad input, not yet audited by the use case. */
function isRefusedVerificationRequest(exception: unknown, request: AuthenticatedRequest): boolean {
  return (
    exception instanceof GatewayException &&
    exception.code === GatewayExceptionCode.INVALID_INPUT &&
    !exception.auditRecorded &&
    request.method === 'POST' &&
    request.path.replace(/\/+$/, '') === '/api/v1/verifications'
  );
}
