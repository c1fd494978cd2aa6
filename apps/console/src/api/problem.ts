/**
 * RFC 9457 problem bodies of the API, and how their `errors[].field` paths ("members[0].idNumber") land on
 * form fields (["members", 0, "idNumber"]). Only title, detail and the field messages are ever shown.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
}

export type FieldPath = (string | number)[];

export function fieldPath(field: string): FieldPath {
  const path: FieldPath = [];
  for (const part of field.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [field];
    if (match[1]) path.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' || typeof v.detail === 'string' || Array.isArray(v.errors);
}

/** Keeps the parts of a problem body a page may show: strings only, bounded, no nested objects (no stacks). */
export function sanitizeProblem(value: unknown): Problem | null {
  if (!isProblem(value)) return null;
  const text = (s: unknown) => (typeof s === 'string' ? s.slice(0, 500) : undefined);
  const errors = Array.isArray(value.errors)
    ? value.errors
        .filter((e): e is FieldProblem => typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.message === 'string')
        .map((e) => ({ field: e.field.slice(0, 200), message: e.message.slice(0, 500) }))
    : undefined;
  return {
    type: text(value.type),
    title: text(value.title),
    status: typeof value.status === 'number' ? value.status : undefined,
    detail: text(value.detail),
    errors,
  };
}
