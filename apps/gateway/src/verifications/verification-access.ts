import type { Actor } from '../auth/actor';
import type { Role } from '../database/user.entity';

/**
 * Who sees which verifications (domain.md section 2, api.md "Authentication"):
 * officers create and read their own region's; reviewers read their region's; administrators read all
 * but take no case action (they do not submit verifications: least privilege, issue 4 item 4);
 * auditors read what verifications exist in every region but no report body, except through an explicit,
 * recorded audit opening (POST /api/v1/audit/openings, src/audit); operators see none.
 */
export const CREATE_ROLES: Role[] = ['officer'];
export const READ_ROLES: Role[] = ['officer', 'reviewer', 'admin', 'auditor'];
export const REPORT_ROLES: Role[] = ['officer', 'reviewer', 'admin'];

const REGION_BOUND_ROLES: ReadonlySet<Role> = new Set(['officer', 'reviewer']);

/** The region the caller is confined to, or undefined when it sees every region. */
export function confinedRegion(actor: Actor): string | undefined {
  return REGION_BOUND_ROLES.has(actor.role) ? actor.regionCode : undefined;
}

export function maySee(actor: Actor, regionCode: string): boolean {
  if (!READ_ROLES.includes(actor.role)) return false;
  const region = confinedRegion(actor);
  return region === undefined || region === regionCode;
}

export function mayReadReportBody(actor: Actor): boolean {
  return REPORT_ROLES.includes(actor.role);
}

export function mayCreateIn(actor: Actor, regionCode: string): boolean {
  if (!CREATE_ROLES.includes(actor.role)) return false;
  return actor.role !== 'officer' || actor.regionCode === regionCode;
}
