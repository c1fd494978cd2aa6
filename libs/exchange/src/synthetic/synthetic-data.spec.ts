import { checkIdentityNumber, checkVerificationRules, lookbackFor, monthsOf, sexOf } from '@verihub/domain';
import { validateProviderData } from '../import/import-provider-data';
import type { ExchangeLine, PersonLine } from '../lines/exchange-line';
import { generateSyntheticHouseholds, syntheticProviders } from './synthetic-data';
import { DEMO_STANDARD_MONTHLY, SYNTHETIC_TRAIT_CYCLE, SYNTHETIC_TRAITS, type SyntheticHousehold, type SyntheticLines } from './synthetic-household';

const AS_OF = '2026-11-01';
const BANKS = ['ICBC', 'CCB'];
const options = { households: 400, seed: 7, banks: BANKS, asOf: AS_OF };
const households = [...generateSyntheticHouseholds(options)];
const lookback = new Set(monthsOf(lookbackFor(AS_OF, 12)));

function linesOf(provider: string): ExchangeLine[] {
  return households.flatMap((h): ExchangeLine[] => h.lines[provider as keyof SyntheticLines]);
}

function persons(h: SyntheticHousehold): PersonLine[] {
  return h.lines['public-security'].filter((l): l is PersonLine => l.type === 'person');
}

/** domain.md section 5, written out independently: household monthly per-capita income over the lookback. */
function perCapitaIncome(h: SyntheticHousehold): number {
  const deceased = new Set(persons(h).filter((p) => p.status === 'deceased').map((p) => p.idNumber));
  const counted = h.request.members.filter((m) => !deceased.has(m.idNumber)).map((m) => m.idNumber);
  let sum = 0;
  for (const id of counted) {
    for (const month of lookback) {
      const tax = h.lines.tax.filter((l) => l.type === 'income' && l.idNumber === id && l.period === month);
      const contribution = h.lines['provident-fund'].find((l) => l.type === 'contribution' && l.idNumber === id && l.period === month);
      const wages = tax.filter((l) => l.item === 'wage' || l.item === 'labor');
      if (wages.length > 0) sum += wages.reduce((s, l) => s + l.incomeFen - l.taxFen, 0) - (contribution?.type === 'contribution' ? contribution.employeeFen : 0);
      else if (contribution?.type === 'contribution') sum += contribution.baseFen - contribution.employeeFen;
      sum += tax.filter((l) => l.item !== 'wage' && l.item !== 'labor').reduce((s, l) => s + l.incomeFen - l.taxFen, 0);
      for (const bank of BANKS) {
        sum += h.lines[`bank:${bank}`].filter((l) => l.type === 'interest' && l.idNumber === id && l.period === month).reduce((s, l) => s + (l.type === 'interest' ? l.interestFen : 0), 0);
      }
    }
  }
  sum += h.request.declared.monthlyIncome.transfer * 12;
  return sum / 12 / counted.length;
}

function naturalKey(l: ExchangeLine): string {
  switch (l.type) {
    case 'person':
      return `person ${l.idNumber}`;
    case 'vehicle':
      return `vehicle ${l.idNumber} ${l.plate}`;
    case 'income':
      return `income ${l.idNumber} ${l.period} ${l.item} ${l.withholder}`;
    case 'property':
      return `property ${l.certificateNo} ${l.idNumber}`;
    case 'account':
      return `account ${l.idNumber} ${l.accountNo} ${l.asOf}`;
    case 'contribution':
      return `contribution ${l.idNumber} ${l.period}`;
    case 'holding':
      return `holding ${l.idNumber} ${l.accountNo} ${l.product} ${l.asOf}`;
    case 'interest':
      return `interest ${l.idNumber} ${l.accountNo} ${l.period}`;
  }
}

describe('synthetic households', () => {
  it('gives everyone a valid identity number, unique across the data set, with sex and birth date consistent', () => {
    const seen = new Set<string>();
    for (const h of households) {
      for (const m of h.request.members) {
        expect(checkIdentityNumber(m.idNumber, AS_OF)).toEqual({ valid: true });
        expect(seen.has(m.idNumber)).toBe(false);
        seen.add(m.idNumber);
      }
      for (const p of persons(h)) {
        expect(sexOf(p.idNumber)).toBe(p.sex);
        expect(p.idNumber.slice(6, 14)).toBe(p.birthDate.replace(/-/g, ''));
      }
    }
    expect(seen.size).toBeGreaterThan(households.length * 2);
  });

  it.each(syntheticProviders({ banks: BANKS }))('writes %s lines that pass the import validation, no record twice', async (provider) => {
    const lines = linesOf(provider).map((l) => JSON.stringify(l));
    expect(lines.length).toBeGreaterThan(0);
    const result = await validateProviderData(provider, { lines }, { today: AS_OF });
    expect(result.badLines).toEqual([]);
  });

  it('is consistent across departments: the same people, one household number per household', () => {
    for (const h of households) {
      const members = new Map(h.request.members.map((m) => [m.idNumber, m]));
      const registered = persons(h);
      expect(new Set(registered.map((p) => p.householdNumber))).toEqual(new Set([h.householdNumber]));
      for (const p of registered) expect(members.has(p.idNumber)).toBe(true);
      const strangers = Object.entries(h.lines).flatMap(([provider, lines]) => (lines as ExchangeLine[]).filter((l) => !members.has(l.idNumber)).map(() => provider));
      expect(strangers).toEqual([]);
      // Only the unknown member lacks a person record; only the mismatch differs in name.
      const unregistered = h.request.members.filter((m) => !registered.some((p) => p.idNumber === m.idNumber));
      expect(unregistered.length > 0).toBe(h.traits.includes('unknown_to_public_security'));
      const renamed = registered.filter((p) => members.get(p.idNumber)!.name !== p.name);
      expect(renamed.length > 0).toBe(h.traits.includes('name_mismatch'));
      for (const p of registered) expect(p.hukouRegionCode).toBe(h.regionCode);
    }
  });

  it('produces requests the gateway accepts: one applicant, a valid authorization per member, minors signed for by an adult', () => {
    const submittedAt = new Date('2026-11-02T10:00:00+08:00');
    for (const h of households) {
      expect(checkVerificationRules(h.request, submittedAt)).toEqual([]);
      expect(h.request).toMatchObject({ program: 'dibao', purpose: 'application', regionCode: h.regionCode, asOf: AS_OF });
      expect(h.request.authorizations.map((a) => a.signedAt)).toEqual(h.request.members.map(() => '2026-10-01T09:00:00+08:00'));
      expect(h.request.authorizations.map((a) => a.expiresAt)).toEqual(h.request.members.map(() => '2027-10-01T00:00:00+08:00'));
    }
    const withMinor = households.find((h) => h.traits.includes('minor_member'))!;
    expect(withMinor.request.authorizations.some((a) => a.signedBy !== a.idNumber)).toBe(true);
  });

  it(`has every special case within the first ${SYNTHETIC_TRAIT_CYCLE} households`, () => {
    const first = households.slice(0, SYNTHETIC_TRAIT_CYCLE);
    const present = new Set(first.flatMap((h) => h.traits));
    expect(SYNTHETIC_TRAITS.filter((t) => !present.has(t))).toEqual([]);
  });

  it('backs each special case with the data itself', () => {
    const withTrait = (trait: (typeof SYNTHETIC_TRAITS)[number]) => households.filter((h) => h.traits.includes(trait));
    const normalVehicles = (h: SyntheticHousehold) => h.lines['public-security'].filter((l) => l.type === 'vehicle' && l.status === 'normal');

    for (const h of withTrait('deceased_member')) {
      const dead = persons(h).filter((p) => p.status === 'deceased');
      expect(dead.length).toBeGreaterThan(0);
      for (const p of dead) expect(p.deathDate! < AS_OF).toBe(true);
    }
    for (const h of withTrait('undeclared_car')) {
      expect(normalVehicles(h).some((v) => v.type === 'vehicle' && v.vehicleType === 'car')).toBe(true);
      expect(h.request.declared.vehicles!).toBeLessThan(normalVehicles(h).length);
    }
    for (const h of withTrait('several_properties')) {
      expect(new Set(h.lines.housing.filter((l) => l.type === 'property' && l.status === 'registered').map((l) => (l.type === 'property' ? l.certificateNo : ''))).size).toBeGreaterThanOrEqual(2);
    }
    expect(withTrait('several_properties').some((h) => h.traits.includes('non_residential_property'))).toBe(true);
    for (const h of withTrait('exempt_vehicle')) expect(normalVehicles(h).some((v) => v.type === 'vehicle' && v.vehicleType !== 'car' && v.vehicleType !== 'truck')).toBe(true);
    for (const h of withTrait('two_banks')) expect(BANKS.filter((b) => h.lines[`bank:${b}`].some((l) => l.type === 'holding')).length).toBeGreaterThanOrEqual(2);
    for (const h of withTrait('business_loss_months')) expect(h.lines.tax.some((l) => l.type === 'income' && l.item === 'business' && l.incomeFen < 0)).toBe(true);
    for (const h of withTrait('rent_income')) expect(h.lines.tax.some((l) => l.type === 'income' && l.item === 'rent')).toBe(true);
    for (const h of withTrait('fund_only_months')) {
      const only = h.lines['provident-fund'].filter(
        (c) => c.type === 'contribution' && lookback.has(c.period) && !h.lines.tax.some((t) => t.type === 'income' && t.idNumber === c.idNumber && t.period === c.period && t.item === 'wage'),
      );
      expect(only.length).toBeGreaterThan(0);
    }
    for (const h of withTrait('provident_fund_wages')) {
      const contributors = new Set(h.lines['provident-fund'].filter((l) => l.type === 'contribution').map((l) => l.idNumber));
      expect(h.lines.tax.some((l) => l.type === 'income' && l.item === 'wage' && contributors.has(l.idNumber))).toBe(true);
    }
    for (const h of withTrait('near_threshold_income')) {
      const standard = DEMO_STANDARD_MONTHLY[h.hukouType];
      expect(Math.abs(perCapitaIncome(h) - standard) / standard).toBeLessThanOrEqual(0.1);
    }
    expect(withTrait('near_threshold_income').length).toBeGreaterThan(households.length / 10);
    // Both sides of the threshold are represented.
    const near = withTrait('near_threshold_income').map((h) => perCapitaIncome(h) < DEMO_STANDARD_MONTHLY[h.hukouType]);
    expect(near).toContain(true);
    expect(near).toContain(false);
  });

  it('is deterministic: same seed same data; chunks equal the whole; another seed other people', () => {
    const again = [...generateSyntheticHouseholds(options)];
    expect(JSON.stringify(again)).toBe(JSON.stringify(households));
    const chunk = [...generateSyntheticHouseholds({ ...options, households: 50, startIndex: 100 })];
    expect(JSON.stringify(chunk)).toBe(JSON.stringify(households.slice(100, 150)));
    const other = [...generateSyntheticHouseholds({ ...options, households: 50, seed: 8 })];
    const ids = new Set(households.flatMap((h) => h.request.members.map((m) => m.idNumber)));
    expect(other.flatMap((h) => h.request.members).filter((m) => ids.has(m.idNumber)).length).toBeLessThan(5);
  });

  it('streams: 10,000 households without keeping them', () => {
    const started = Date.now();
    let lines = 0;
    const duplicates: string[] = [];
    for (const h of generateSyntheticHouseholds({ ...options, households: 10000, banks: ['ICBC', 'CCB', 'BOC', 'ABC'] })) {
      // Natural keys (record-id.ts) only repeat within a household, whose people are its own.
      for (const [provider, list] of Object.entries(h.lines) as [string, ExchangeLine[]][]) {
        lines += list.length;
        const keys = new Set<string>();
        for (const l of list) {
          const key = naturalKey(l);
          if (keys.has(key)) duplicates.push(`household ${h.index} ${provider} ${l.type}`);
          keys.add(key);
        }
      }
    }
    expect(duplicates).toEqual([]);
    expect(lines).toBeGreaterThan(10000 * 20);
    expect(Date.now() - started).toBeLessThan(30000);
  });

  it('refuses impossible options', () => {
    expect(() => generateSyntheticHouseholds({ ...options, asOf: '2026-02-30' }).next()).toThrow(/asOf/);
    expect(() => generateSyntheticHouseholds({ ...options, households: -1 }).next()).toThrow(/households/);
    expect(() => generateSyntheticHouseholds({ ...options, regionCodes: ['5001'] }).next()).toThrow(/regionCodes/);
    expect(() => generateSyntheticHouseholds({ ...options, households: 2_000_000 }).next()).toThrow(/at most/);
  });
});
