import { auditSubjectOf, containsIdentityNumber, isMaskedIdentityNumber, keyedIdentityHash } from './identity-hash';

const KEY = 'k'.repeat(32);
const ID = '11010519491231002X';

describe('keyed identity hash', () => {
  it('is HMAC-SHA256 in hex, stable for one key and different for another', () => {
    // echo -n 11010519491231002X | openssl dgst -sha256 -hmac kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
    expect(keyedIdentityHash(ID, KEY)).toBe('6baaf2c3cf3a29a4ac710aeeffadb8c04c2481b727a970349d0a73ca269751fb');
    expect(keyedIdentityHash(ID, Buffer.from(KEY))).toBe(keyedIdentityHash(ID, KEY));
    expect(keyedIdentityHash(ID, KEY)).not.toBe(keyedIdentityHash(ID, 'j'.repeat(32)));
    expect(keyedIdentityHash(ID, KEY)).not.toContain(ID);
  });

  it('treats a lower-case x and surrounding spaces as the same number', () => {
    expect(keyedIdentityHash(' 11010519491231002x ', KEY)).toBe(keyedIdentityHash(ID, KEY));
  });

  it('refuses an empty key', () => {
    expect(() => keyedIdentityHash(ID, '')).toThrow('key is empty');
  });

  it('names a person by hash and masked form', () => {
    expect(auditSubjectOf(ID, KEY)).toEqual({ idHash: keyedIdentityHash(ID, KEY), idMasked: '110105********002X' });
  });

  it.each([
    ['110105********002X', true],
    ['11010519491231002X', false],
    ['110105*******002X', false],
  ])('recognises the masked form %s: %s', (value, expected) => {
    expect(isMaskedIdentityNumber(value)).toBe(expected);
  });

  it.each([
    ['user 11010519491231002X', true],
    ['110105********002X', false],
    ['AUTH-2026-000123', false],
  ])('finds raw identity numbers in %s: %s', (value, expected) => {
    expect(containsIdentityNumber(value)).toBe(expected);
  });
});
