/**
 * Who is in the household as public security sees them (domain.md section 5, "Members counted"):
 * identity, vital status, hukou type, and whether the member counts in n.
 */
import { maskIdentityNumber } from '../identity-number';
import type { PersonRecord } from '../records';
import type { HouseholdMember } from '../verification-request';
import { compareText, isAnsweredStatus, normalizeIdNumber, type ReportEvidence } from './report-evidence';
import type { HouseholdHukouType, HukouType, IdentityStatus, VitalStatus } from './report.types';

export interface AssessedMember {
  index: number;
  member: HouseholdMember;
  /** Normalized identity number. */
  idNumber: string;
  masked: string;
  identity: IdentityStatus;
  vitalStatus: VitalStatus;
  counted: boolean;
  person?: PersonRecord;
}

export interface HouseholdAssessment {
  members: AssessedMember[];
  counted: AssessedMember[];
  /** Index of each normalized identity number in `members` (the first, should one repeat). */
  indexOf: Map<string, number>;
  hukouType: HouseholdHukouType;
  /** At least one public-security source answered (answered or no_record). */
  publicSecurityAnswered: boolean;
}

/** Names compare after trimming and Unicode NFC normalization; otherwise exactly. */
function sameName(a: string, b: string): boolean {
  return a.trim().normalize('NFC') === b.trim().normalize('NFC');
}

/**
 * With public security answered: a member it holds is `verified` (same name) or `mismatch`, one it
 * does not hold is `not_found` (vital status unknown). With public security silent, every identity
 * and vital status is `unknown`. Only members reported `deceased` are left out of n (and a person
 * listed twice counts once; the request rules refuse that anyway).
 */
export function assessHousehold(members: HouseholdMember[], evidence: ReportEvidence): HouseholdAssessment {
  const publicSecurityAnswered = evidence.sourcesOf('public-security').some((s) => isAnsweredStatus(s.status));
  const indexOf = new Map<string, number>();
  const assessed = members.map((member, index): AssessedMember => {
    const idNumber = normalizeIdNumber(member.idNumber);
    const repeated = indexOf.has(idNumber);
    if (!repeated) indexOf.set(idNumber, index);
    const person = personRecordOf(idNumber, evidence);
    let identity: IdentityStatus = 'unknown';
    let vitalStatus: VitalStatus = 'unknown';
    if (person) {
      identity = sameName(person.name, member.name) ? 'verified' : 'mismatch';
      vitalStatus = person.status === 'deceased' ? 'deceased' : 'alive';
    } else if (publicSecurityAnswered) {
      identity = 'not_found';
    }
    return {
      index,
      member,
      idNumber,
      masked: maskIdentityNumber(idNumber),
      identity,
      vitalStatus,
      counted: vitalStatus !== 'deceased' && !repeated,
      person,
    };
  });
  const applicant = assessed.find((m) => m.member.relation === 'applicant');
  const hukouType: HouseholdHukouType = applicant?.person?.hukouType ?? 'unknown';
  return { members: assessed, counted: assessed.filter((m) => m.counted), indexOf, hukouType, publicSecurityAnswered };
}

/** The person record public security holds (the canonically first, should there be several). */
function personRecordOf(idNumber: string, evidence: ReportEvidence): PersonRecord | undefined {
  const persons = evidence
    .recordsOf(idNumber)
    .filter((r): r is PersonRecord => r.kind === 'person')
    .sort((a, b) => compareText(a.provider, b.provider) || compareText(a.recordId, b.recordId));
  return persons[0];
}

export function memberHukouType(member: AssessedMember): HukouType | undefined {
  return member.person?.hukouType;
}
