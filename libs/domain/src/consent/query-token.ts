/**
 * The query token: the aggregator's signed, short-lived permission for one provider to answer one
 * request about exactly these people (先授权、后核对 made checkable by the adapter). A compact JWS
 * (base64url(header).base64url(payload).base64url(signature)), Ed25519 ("EdDSA"), header
 * `{ alg: 'EdDSA', typ: 'verihub-query+jwt', kid }`. Members are named by keyed hashes
 * (keyedIdentityHash), never by identity number.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { keyedIdentityHash } from '../audit/identity-hash';
import { keyId } from './signing-keys';

export const QUERY_TOKEN_ISSUER = 'verihub-aggregator';
export const QUERY_TOKEN_TYPE = 'verihub-query+jwt';
/** Tokens live until the request's deadline plus this, and never longer than QUERY_TOKEN_MAX_LIFETIME_S. */
export const QUERY_TOKEN_GRACE_S = 60;
export const QUERY_TOKEN_MAX_LIFETIME_S = 600;
/** Clocks of the aggregator and an adapter may differ by this much. */
export const QUERY_TOKEN_CLOCK_SKEW_S = 30;

export interface QueryTokenClaims {
  iss: typeof QUERY_TOKEN_ISSUER;
  /** The provider id ("tax", "bank:ICBC"). */
  sub: string;
  /** Verification id. */
  vid: string;
  /** Request id. */
  rid: string;
  purpose: string;
  program: string;
  /** keyedIdentityHash of each member's identity number, distinct, sorted. */
  members: string[];
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

export interface QueryTokenSubject {
  provider: string;
  verificationId: string;
  requestId: string;
  purpose: string;
  program: string;
  idNumbers: readonly string[];
  deadline: Date;
}

/** The keyed hashes of the members as a token names them: distinct, sorted. */
export function memberHashes(idNumbers: readonly string[], identityHashKey: string | Buffer): string[] {
  return [...new Set(idNumbers.map((id) => keyedIdentityHash(id, identityHashKey)))].sort();
}

/** The claims of a request's token, issued at `now`: valid until deadline + 60 s, at most 10 minutes. */
export function queryTokenClaimsFor(subject: QueryTokenSubject, identityHashKey: string | Buffer, now: Date): QueryTokenClaims {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.min(Math.floor(subject.deadline.getTime() / 1000) + QUERY_TOKEN_GRACE_S, iat + QUERY_TOKEN_MAX_LIFETIME_S);
  return {
    iss: QUERY_TOKEN_ISSUER,
    sub: subject.provider,
    vid: subject.verificationId,
    rid: subject.requestId,
    purpose: subject.purpose,
    program: subject.program,
    members: memberHashes(subject.idNumbers, identityHashKey),
    iat,
    exp,
  };
}

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export function signQueryToken(claims: QueryTokenClaims, privateKey: KeyObject): string {
  const header = { alg: 'EdDSA', typ: QUERY_TOKEN_TYPE, kid: keyId(privateKey) };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${b64url(sign(null, Buffer.from(signingInput, 'ascii'), privateKey))}`;
}

export interface QueryTokenExpectation {
  provider: string;
  verificationId: string;
  requestId: string;
  /** memberHashes of the request's members. */
  memberHashes: readonly string[];
  /** When given, the token must name the same purpose / programme. */
  purpose?: string;
  program?: string;
}

export type QueryTokenRefusal =
  | 'missing'
  | 'bad format'
  | 'wrong algorithm'
  | 'unknown key'
  | 'bad signature'
  | 'expired'
  | 'not yet valid'
  | 'wrong issuer'
  | 'wrong provider'
  | 'wrong verification'
  | 'wrong request'
  | 'wrong purpose'
  | 'wrong program'
  | 'members differ';

export type QueryTokenCheck = { ok: true; claims: QueryTokenClaims } | { ok: false; reason: QueryTokenRefusal };

const B64URL = /^[A-Za-z0-9_-]+$/;

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isClaims(value: Record<string, unknown>): value is Record<string, unknown> & QueryTokenClaims {
  const str = (k: string) => typeof value[k] === 'string';
  const int = (k: string) => Number.isSafeInteger(value[k]);
  return (
    str('iss') && str('sub') && str('vid') && str('rid') && str('purpose') && str('program') && int('iat') && int('exp') &&
    Array.isArray(value.members) && value.members.every((m) => typeof m === 'string')
  );
}

/**
 * Checks a token against the aggregator's public key and what the request says. The signature is checked
 * before any claim is believed; the reason names the first problem (never personal data).
 */
export function verifyQueryToken(token: string, publicKey: KeyObject, expected: QueryTokenExpectation, now: Date): QueryTokenCheck {
  const refuse = (reason: QueryTokenRefusal): QueryTokenCheck => ({ ok: false, reason });
  if (!token) return refuse('missing');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return refuse('bad format');
  const header = parseJson(parts[0]);
  const payload = parseJson(parts[1]);
  if (!header || !payload) return refuse('bad format');
  if (header.alg !== 'EdDSA' || header.typ !== QUERY_TOKEN_TYPE) return refuse('wrong algorithm');
  if (header.kid !== keyId(publicKey)) return refuse('unknown key');
  const signature = Buffer.from(parts[2], 'base64url');
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) return refuse('bad signature');
  if (!isClaims(payload)) return refuse('bad format');
  const nowS = Math.floor(now.getTime() / 1000);
  if (payload.exp + QUERY_TOKEN_CLOCK_SKEW_S <= nowS) return refuse('expired');
  if (payload.iat - QUERY_TOKEN_CLOCK_SKEW_S > nowS) return refuse('not yet valid');
  if (payload.iss !== QUERY_TOKEN_ISSUER) return refuse('wrong issuer');
  if (payload.sub !== expected.provider) return refuse('wrong provider');
  if (payload.vid !== expected.verificationId) return refuse('wrong verification');
  if (payload.rid !== expected.requestId) return refuse('wrong request');
  if (expected.purpose !== undefined && payload.purpose !== expected.purpose) return refuse('wrong purpose');
  if (expected.program !== undefined && payload.program !== expected.program) return refuse('wrong program');
  const want = [...new Set(expected.memberHashes)].sort();
  const got = [...payload.members].sort();
  if (want.length !== got.length || want.some((h, i) => h !== got[i])) return refuse('members differ');
  return { ok: true, claims: payload };
}
