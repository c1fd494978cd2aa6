export * from './report.types';
export { computeHouseholdReport, reportSources } from './household-report';
export { diffReports, type ReportChange, type ReportChangeValue } from './report-diff';
export { tolerance, isUnderstated, findDiscrepancies } from './discrepancies';
export { TEST_NEEDS, missingSources, concludeFrom } from './threshold-tests';
export { isAnsweredStatus, compareSources } from './report-evidence';
