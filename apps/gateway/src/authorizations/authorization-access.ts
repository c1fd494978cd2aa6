import type { Role } from '../database/user.entity';

/**
 * Who works with authorization records, by least privilege (domain.md section 2): the officers who attach
 * authorizations to cases and the reviewers who handle the household's objections — each for the cases of
 * their own region (the record's region, or the region of a case citing it). Administrators manage users
 * and policies, not cases; auditors see revocations in the audit log.
 */
export const AUTHORIZATION_ROLES: Role[] = ['officer', 'reviewer'];
