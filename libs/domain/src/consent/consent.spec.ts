import { generateKeyPairSync } from 'node:crypto';
import { makeIdentityNumber } from '../identity-number';
import { keysById, signAnswer, verifyAnswerSignature } from './answer-signature';
import {
  memberHashes,
  queryTokenClaimsFor,
  signQueryToken,
  verifyQueryToken,
  type QueryTokenClaims,
  type QueryTokenExpectation,
} from './query-token';
import { generateSigningKeyPair, keyId, parsePrivateKey, parsePublicKey, publicKeyOf } from './signing-keys';

const HASH_KEY = 'a-test-identity-hash-key-of-at-least-32-chars';
const APPLICANT = makeIdentityNumber('500115', '1980-05-01', 11);
const CHILD = makeIdentityNumber('500115', '2015-03-02', 22);
const STRANGER = makeIdentityNumber('110105', '1949-12-31', 2);
const NOW = new Date('2026-11-01T10:00:00+08:00');
const aggregator = generateSigningKeyPair();
const other = generateSigningKeyPair();
const priv = parsePrivateKey(aggregator.privateKey);
const pub = parsePublicKey(aggregator.publicKey);

const subject = {
  provider: 'tax',
  verificationId: 'ver-1',
  requestId: 'req-1',
  purpose: 'application',
  program: 'dibao',
  idNumbers: [APPLICANT, CHILD, APPLICANT],
  deadline: new Date(NOW.getTime() + 30_000),
};
const claims = queryTokenClaimsFor(subject, HASH_KEY, NOW);
const token = signQueryToken(claims, priv);
const expected: QueryTokenExpectation = {
  provider: 'tax',
  verificationId: 'ver-1',
  requestId: 'req-1',
  memberHashes: memberHashes([CHILD, APPLICANT], HASH_KEY),
  purpose: 'application',
  program: 'dibao',
};

const b64 = (v: object | string) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const [headerPart, payloadPart, signaturePart] = token.split('.');
const edited = (patch: Partial<QueryTokenClaims>) => `${headerPart}.${b64({ ...claims, ...patch })}.${signaturePart}`;

describe('signing keys', () => {
  it('round-trip as base64 DER, with a stable 16-hex key id', () => {
    expect(aggregator.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keyId(pub)).toBe(aggregator.keyId);
    expect(keyId(priv)).toBe(aggregator.keyId);
    expect(publicKeyOf(priv)).toBe(aggregator.publicKey);
    expect(other.keyId).not.toBe(aggregator.keyId);
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not a key!'],
    ['a public key where a private one is expected', aggregator.publicKey],
  ])('refuse a private key that is %s, without echoing it', (_what, value) => {
    expect(() => parsePrivateKey(value)).toThrow(/private key/);
  });

  it('refuse keys of another algorithm', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => parsePublicKey(ec.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'))).toThrow(/Ed25519/);
    expect(() => parsePrivateKey(ec.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'))).toThrow(/Ed25519/);
    expect(() => parsePublicKey(aggregator.privateKey)).toThrow(/public key/);
  });
});

describe('query tokens', () => {
  it('carry the request, keyed member hashes (no identity numbers) and a short life', () => {
    expect(claims).toMatchObject({ iss: 'verihub-aggregator', sub: 'tax', vid: 'ver-1', rid: 'req-1', purpose: 'application', program: 'dibao' });
    expect(claims.members).toHaveLength(2);
    expect(claims.members).toEqual([...claims.members].sort());
    expect(claims.exp - claims.iat).toBe(30 + 60);
    const decoded = Buffer.from(payloadPart, 'base64url').toString();
    for (const id of [APPLICANT, CHILD]) expect(decoded).not.toContain(id);
    expect(JSON.parse(Buffer.from(headerPart, 'base64url').toString())).toEqual({ alg: 'EdDSA', typ: 'verihub-query+jwt', kid: aggregator.keyId });
  });

  it('live at most 10 minutes however far the deadline', () => {
    const long = queryTokenClaimsFor({ ...subject, deadline: new Date(NOW.getTime() + 3600_000) }, HASH_KEY, NOW);
    expect(long.exp - long.iat).toBe(600);
  });

  it('verify when everything matches', () => {
    expect(verifyQueryToken(token, pub, expected, NOW)).toEqual({ ok: true, claims });
    expect(verifyQueryToken(token, pub, { ...expected, purpose: undefined, program: undefined }, new Date(NOW.getTime() + 89_000)).ok).toBe(true);
  });

  const forgedByOther = signQueryToken(claims, parsePrivateKey(other.privateKey));
  const otherKidHeader = forgedByOther.split('.')[0];
  const none = `${b64({ alg: 'none', typ: 'verihub-query+jwt', kid: aggregator.keyId })}.${payloadPart}.`;
  const hs256 = `${b64({ alg: 'HS256', typ: 'verihub-query+jwt', kid: aggregator.keyId })}.${payloadPart}.${signaturePart}`;
  const later = (ms: number) => new Date(NOW.getTime() + ms);

  it.each<[string, string, Partial<QueryTokenExpectation>, Date, string]>([
    ['no token', '', {}, NOW, 'missing'],
    ['two parts', `${headerPart}.${payloadPart}`, {}, NOW, 'bad format'],
    ['garbage', 'a.b.c', {}, NOW, 'bad format'],
    ['alg none', none, {}, NOW, 'bad format'],
    ['alg none with a signature part', `${none}AAAA`, {}, NOW, 'wrong algorithm'],
    ['alg HS256', hs256, {}, NOW, 'wrong algorithm'],
    ['signed by another key (its own kid)', forgedByOther, {}, NOW, 'unknown key'],
    ['signed by another key (our kid)', `${headerPart}.${payloadPart}.${forgedByOther.split('.')[2]}`, {}, NOW, 'bad signature'],
    ['another key with its kid swapped in', `${otherKidHeader}.${payloadPart}.${signaturePart}`, {}, NOW, 'unknown key'],
    ['payload edited: another provider', edited({ sub: 'bank:ICBC' }), {}, NOW, 'bad signature'],
    ['payload edited: a member added', edited({ members: [...claims.members, 'f'.repeat(64)] }), {}, NOW, 'bad signature'],
    ['payload edited: longer life', edited({ exp: claims.exp + 86_400 }), {}, later(3600_000), 'bad signature'],
    ['expired', token, {}, later(91_000 + 30_000), 'expired'],
    ['issued in the future', token, {}, later(-31_000 - 1000), 'not yet valid'],
    ['for another provider', token, { provider: 'housing' }, NOW, 'wrong provider'],
    ['for another verification', token, { verificationId: 'ver-2' }, NOW, 'wrong verification'],
    ['for another request', token, { requestId: 'req-2' }, NOW, 'wrong request'],
    ['for another purpose', token, { purpose: 'review' }, NOW, 'wrong purpose'],
    ['a member more in the request', token, { memberHashes: memberHashes([APPLICANT, CHILD, STRANGER], HASH_KEY) }, NOW, 'members differ'],
    ['a member swapped', token, { memberHashes: memberHashes([APPLICANT, STRANGER], HASH_KEY) }, NOW, 'members differ'],
    ['hashed with another key', token, { memberHashes: memberHashes([APPLICANT, CHILD], 'another-identity-hash-key-of-32-chars!!') }, NOW, 'members differ'],
  ])('are refused: %s', (_what, candidate, patch, now, reason) => {
    expect(verifyQueryToken(candidate, pub, { ...expected, ...patch }, now)).toEqual({ ok: false, reason });
  });
});

describe('answer signatures', () => {
  const tax = generateSigningKeyPair();
  const taxKeys = keysById([parsePublicKey(tax.publicKey)]);
  const bytes = Buffer.from('an encoded QueryAnswered');
  const signature = signAnswer(bytes, parsePrivateKey(tax.privateKey));

  it('verify with the registered key and name it', () => {
    expect(signature.startsWith(`${tax.keyId}.`)).toBe(true);
    expect(verifyAnswerSignature(bytes, signature, taxKeys)).toEqual({ ok: true, keyId: tax.keyId });
  });

  it.each([
    ['unsigned', bytes, '', 'missing'],
    ['bytes changed', Buffer.from('an encoded QueryAnswerex'), signature, 'invalid'],
    ['signed by an unregistered key', bytes, signAnswer(bytes, parsePrivateKey(other.privateKey)), 'invalid'],
    ['kid relabelled', bytes, `${tax.keyId}.${signAnswer(bytes, parsePrivateKey(other.privateKey)).split('.')[1]}`, 'invalid'],
    ['not a signature', bytes, 'hello', 'invalid'],
  ])('refuse: %s', (_what, data, sig, reason) => {
    expect(verifyAnswerSignature(data, sig, taxKeys)).toEqual({ ok: false, reason });
  });
});
