/**
 * Where a verification's newest report stands in review, and the SQL that works it out — shared by the
 * verification list, its detail and the review queue so they always agree.
 */
export const REVIEW_STATES = ['unsigned', 'signed', 'objection_open'] as const;
/**
 * `unsigned`: no report yet, or the newest version awaits a reviewer's signature; `signed`: the newest
 * version is signed; `objection_open`: an objection started a re-check whose report version has not arrived.
 */
export type ReviewState = (typeof REVIEW_STATES)[number];

/** The re-check reason an objection puts into VerificationRequested (the aggregator echoes it in change_reason). */
export function objectionRecheckReason(objectionId: string): string {
  return `objection ${objectionId}`;
}

/**
 * SQL: the report version (of gateway.report_versions) that answers objection alias `o`, i.e. the first
 * version after the objected one whose change reason names the objection's re-check. NULL while open.
 */
export function answeringVersionSql(o: string): string {
  return `(SELECT min(a.version) FROM gateway.report_versions a
    WHERE a.verification_id = ${o}.verification_id AND a.version > ${o}.version
      AND position(('objection ' || ${o}.id::text) in a.change_reason) > 0)`;
}

/** SQL: the ReviewState of verification alias `v` (columns id, report_version). */
export function reviewStateSql(v: string): string {
  return `(CASE
    WHEN EXISTS (SELECT 1 FROM gateway.objections o WHERE o.verification_id = ${v}.id AND ${answeringVersionSql('o')} IS NULL)
      THEN 'objection_open'
    WHEN EXISTS (SELECT 1 FROM gateway.report_signatures s WHERE s.verification_id = ${v}.id AND s.version = ${v}.report_version)
      THEN 'signed'
    ELSE 'unsigned' END)`;
}
