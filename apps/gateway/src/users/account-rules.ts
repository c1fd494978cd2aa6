import type { FieldError } from '@verihub/domain';
import type { Role } from '../database/user.entity';

/**
 * The rules an account obeys whatever the route (pure; the tables test them):
 * - an operator belongs to exactly one provider; no other role has one;
 * - at least one active administrator remains (none can be deactivated or demoted when it is the last).
 */
export interface AccountFacts {
  role: Role;
  regionCode: string;
  provider: string | null;
  active: boolean;
}

export interface AccountPatch {
  role?: Role;
  regionCode?: string;
  provider?: string | null;
  active?: boolean;
  password?: string;
  unlock?: true;
}

export function providerErrors(role: Role, provider: string | null | undefined): FieldError[] {
  if (role === 'operator' && !provider) return [{ field: 'provider', message: 'is required for the operator role' }];
  if (role !== 'operator' && provider) return [{ field: 'provider', message: 'is only for the operator role' }];
  return [];
}

export type PatchOutcome =
  | { kind: 'ok'; next: AccountFacts; revokeTokens: boolean; unlock: boolean }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'last-admin'; errors: FieldError[] };

export function applyAccountPatch(current: AccountFacts, patch: AccountPatch, activeAdmins: number): PatchOutcome {
  const fields = (['role', 'regionCode', 'provider', 'active', 'password', 'unlock'] as const).filter((f) => patch[f] !== undefined);
  if (fields.length === 0) {
    return { kind: 'invalid', errors: [{ field: '', message: 'must change at least one of role, regionCode, provider, active, password, unlock' }] };
  }
  const role = patch.role ?? current.role;
  // Leaving the operator role drops the provider unless one is (wrongly) sent along.
  const provider = patch.provider !== undefined ? patch.provider : role === 'operator' ? current.provider : null;
  const errors = providerErrors(role, provider);
  if (errors.length > 0) return { kind: 'invalid', errors };

  const next: AccountFacts = { role, regionCode: patch.regionCode ?? current.regionCode, provider, active: patch.active ?? current.active };
  const wasActiveAdmin = current.role === 'admin' && current.active;
  const staysActiveAdmin = next.role === 'admin' && next.active;
  if (wasActiveAdmin && !staysActiveAdmin && activeAdmins <= 1) {
    const field = next.active ? 'role' : 'active';
    return { kind: 'last-admin', errors: [{ field, message: 'the last active administrator must stay an active administrator' }] };
  }
  const changed =
    next.role !== current.role || next.regionCode !== current.regionCode || next.provider !== current.provider || next.active !== current.active;
  return { kind: 'ok', next, revokeTokens: changed || patch.password !== undefined, unlock: patch.unlock === true || patch.password !== undefined };
}
