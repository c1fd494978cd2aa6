import type { Role } from '../database/user.entity';

/**
 * Who takes part in review (domain.md section 2), by least privilege:
 * - only reviewers sign report versions, and only in their own region (administrators do not sign:
 *   they manage users and policies, not cases);
 * - officers record the household's objections, and reviewers (who handle objections) may too;
 * - the review queue is the reviewers' work list;
 * - objections are read by whoever may read the report they concern (auditors read no report content).
 * Region confinement comes from verification-access (confinedRegion / findVisible): another region's
 * verification is "not found".
 */
export const SIGN_ROLES: Role[] = ['reviewer'];
export const OBJECTION_RECORD_ROLES: Role[] = ['officer', 'reviewer'];
export const OBJECTION_READ_ROLES: Role[] = ['officer', 'reviewer', 'admin'];
export const REVIEW_QUEUE_ROLES: Role[] = ['reviewer'];
