import type { Role } from './session';

/** Where each role starts after signing in. */
const HOME: Record<Role, string> = {
  officer: '/verifications',
  reviewer: '/reviews',
  auditor: '/audit/log',
  admin: '/admin/users',
  operator: '/verifications',
};

export function homeOf(role: Role): string {
  return HOME[role];
}
