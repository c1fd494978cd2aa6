import { ArgumentsHost, Catch, HttpException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { GatewayException } from '../errors/gateway.exception';
import { problemKindOf } from '../errors/gateway-exception.mapper';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { actorRef, type AuditCaseRef } from './audit-event.message';
import { AuditTrail } from './audit-trail';

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
 * before the problem details go out (issue 4 item 8). Everything else is answered as ProblemDetailsFilter does.
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
    super.catch(exception, host);
  }

  private async record(request: AuthenticatedRequest): Promise<void> {
    const path = request.path;
    const id = typeof request.params?.id === 'string' && UUID.test(request.params.id) ? request.params.id.toLowerCase() : undefined;
    let auditCase: AuditCaseRef | undefined;
    let idNumbers: string[] = [];
    let subjects: { idHash: string; idMasked: string }[] = [];
    if (id && path.startsWith('/api/v1/verifications')) {
      auditCase = { verificationId: id };
      const rows: { program: string; purpose: string; region_code: string; members: { idNumber: string }[] }[] = await this.dataSource.query(
        `SELECT program, purpose, region_code, members FROM gateway.verifications WHERE id = $1`,
        [id],
      );
      if (rows[0]) {
        auditCase = { verificationId: id, program: rows[0].program, purpose: rows[0].purpose, regionCode: rows[0].region_code };
        idNumbers = rows[0].members.map((m) => m.idNumber);
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
