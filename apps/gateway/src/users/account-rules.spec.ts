import { applyAccountPatch, providerErrors, type AccountFacts } from './account-rules';

const officer: AccountFacts = { role: 'officer', regionCode: '500115', provider: null, active: true };
const operator: AccountFacts = { role: 'operator', regionCode: '500115', provider: 'tax', active: true };
const admin: AccountFacts = { role: 'admin', regionCode: '500000', provider: null, active: true };

describe('account rules', () => {
  it.each([
    ['operator', undefined, ['provider: is required for the operator role']],
    ['operator', 'tax', []],
    ['officer', 'tax', ['provider: is only for the operator role']],
    ['officer', null, []],
  ] as const)('%s with provider %s', (role, provider, expected) => {
    expect(providerErrors(role, provider).map((e) => `${e.field}: ${e.message}`)).toEqual(expected);
  });

  it('refuses an empty change', () => {
    expect(applyAccountPatch(officer, {}, 2)).toMatchObject({ kind: 'invalid', errors: [{ field: '' }] });
  });

  it('keeps an operator’s provider through other changes, and drops it when the role changes', () => {
    expect(applyAccountPatch(operator, { regionCode: '500116' }, 1)).toMatchObject({ kind: 'ok', next: { provider: 'tax', regionCode: '500116' } });
    expect(applyAccountPatch(operator, { role: 'officer' }, 1)).toMatchObject({ kind: 'ok', next: { role: 'officer', provider: null } });
    expect(applyAccountPatch(operator, { role: 'officer', provider: 'tax' }, 1)).toMatchObject({ kind: 'invalid' });
    expect(applyAccountPatch(officer, { role: 'operator' }, 1)).toMatchObject({ kind: 'invalid', errors: [{ field: 'provider' }] });
    expect(applyAccountPatch(operator, { provider: null }, 1)).toMatchObject({ kind: 'invalid', errors: [{ field: 'provider' }] });
  });

  it.each([
    [{ active: false }, 1, 'last-admin'],
    [{ role: 'auditor' as const }, 1, 'last-admin'],
    [{ active: false }, 2, 'ok'],
    [{ regionCode: '500116' }, 1, 'ok'],
    [{ password: 'a-new-password' }, 1, 'ok'],
  ])('an administrator: %j with %i active administrators → %s', (patch, activeAdmins, kind) => {
    expect(applyAccountPatch(admin, patch, activeAdmins).kind).toBe(kind);
  });

  it('does not count an inactive administrator as the last one', () => {
    expect(applyAccountPatch({ ...admin, active: false }, { role: 'officer' }, 1).kind).toBe('ok');
  });

  it.each([
    [{ unlock: true as const }, false, true],
    [{ password: 'a-new-password' }, true, true],
    [{ active: false }, true, false],
    [{ regionCode: '500115' }, false, false],
    [{ role: 'reviewer' as const }, true, false],
  ])('%j: revokes tokens %s, unlocks %s', (patch, revokeTokens, unlock) => {
    expect(applyAccountPatch(officer, patch, 1)).toMatchObject({ kind: 'ok', revokeTokens, unlock });
  });
});
