/**
 * The console's only way to the public API (/api/v1): bearer token, JSON, RFC 9457 problems turned into
 * ApiError. A 401 ends the session and returns to the login page, remembering where the user was.
 */
import { endSession, getSession, rememberReturnPath } from '../auth/session';
import { navigate } from '../router';
import { sanitizeProblem, type Problem } from './problem';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/** Thrown after a 401 has sent the user to the login page: callers just stop. */
export class SessionExpiredError extends ApiError {}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  accept?: string;
  /** The sign-in call: a 401 is a wrong password, not an expired session. */
  anonymous?: boolean;
}

export function urlOf(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

function sessionExpired(): never {
  rememberReturnPath(window.location.pathname + window.location.search);
  endSession();
  navigate('/login?expired=1', { replace: true });
  throw new SessionExpiredError(401, null);
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const session = getSession();
  if (!options.anonymous && (!session || session.expiresAt <= Date.now())) sessionExpired();
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!options.anonymous && session) headers.authorization = `Bearer ${session.accessToken}`;
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (response.status === 401 && !options.anonymous) sessionExpired();
  if (!response.ok) {
    const type = response.headers.get('content-type') ?? '';
    const body: unknown = type.includes('json') ? await response.json().catch(() => null) : null;
    throw new ApiError(response.status, sanitizeProblem(body));
  }
  return response;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A file download (PDF, CSV): the body and the file name the server suggests. */
export async function apiFile(path: string, options: RequestOptions & { fallbackName: string }): Promise<{ blob: Blob; fileName: string }> {
  const response = await send(path, options);
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), fileName: match ? decodeURIComponent(match[1]) : options.fallbackName };
}

export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
