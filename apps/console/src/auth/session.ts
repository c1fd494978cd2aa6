/**
 * The signed-in user's token, kept in sessionStorage (one browser tab, gone when it closes). When the API
 * answers 401 the session ends, the page the user was on is remembered, and after signing in again they
 * return to it; forms keep their drafts in sessionStorage meanwhile (drafts.ts).
 */
export type Role = 'officer' | 'reviewer' | 'auditor' | 'admin' | 'operator';

export interface SessionUser {
  username: string;
  role: Role;
  regionCode: string;
}

export interface Session {
  accessToken: string;
  /** ms since the epoch */
  expiresAt: number;
  user: SessionUser;
}

const SESSION_KEY = 'verihub.session';
const RETURN_KEY = 'verihub.returnTo';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return current;
}

export function startSession(session: Session): void {
  current = session;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  listeners.forEach((l) => l());
}

export function endSession(): void {
  current = null;
  sessionStorage.removeItem(SESSION_KEY);
  listeners.forEach((l) => l());
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function rememberReturnPath(path: string): void {
  if (!path.startsWith('/login')) sessionStorage.setItem(RETURN_KEY, path);
}

/** The page to go back to after signing in (once). */
export function takeReturnPath(): string | null {
  const path = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return path && path.startsWith('/') && !path.startsWith('//') ? path : null;
}
