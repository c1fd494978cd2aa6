/** Who is calling the auditor API: taken from a verified bearer token the gateway issued. */
export interface Auditor {
  username: string;
  role: string;
  regionCode: string;
}

/** The only role the auditor API serves (domain.md section 2: the audit office). */
export const AUDITOR_ROLE = 'auditor';
