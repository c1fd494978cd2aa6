import type { FieldError } from '@verihub/domain';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, as every error response of the gateway carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
}

export function problemType(slug: string): string {
  return `urn:verihub:problem:${slug}`;
}
