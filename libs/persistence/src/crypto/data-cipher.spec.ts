import { randomBytes } from 'node:crypto';
import { DataCipher, DataDecryptionError, dataKeyIdOf, isSealedValue, parseDataEncryptionKey } from './data-cipher';

const members = [{ idNumber: '50011519800314001X', name: '张三', relation: 'applicant' }];

describe('DataCipher', () => {
  const key = randomBytes(32);
  const cipher = new DataCipher(key);

  it('seals a value so that neither its numbers nor its names show, and opens it again', () => {
    const sealed = cipher.seal(members, 'verifications.members:v-1');
    expect(isSealedValue(sealed)).toBe(true);
    expect(sealed.kid).toBe(dataKeyIdOf(key));
    const stored = JSON.stringify(sealed);
    expect(stored).not.toContain('50011519800314001X');
    expect(stored).not.toContain('张三');
    expect(cipher.open(sealed, 'verifications.members:v-1')).toEqual(members);
    // A fresh nonce every time.
    expect(cipher.seal(members, 'verifications.members:v-1').ct).not.toBe(sealed.ct);
  });

  it('refuses a wrong key, a value moved to another row, and altered data, loudly', () => {
    const sealed = cipher.seal(members, 'verifications.members:v-1');
    const sameKid = { ...sealed };
    expect(() => new DataCipher(randomBytes(32)).open(sealed, 'verifications.members:v-1')).toThrow(/not configured/);
    expect(() => cipher.open(sealed, 'verifications.members:v-2')).toThrow(DataDecryptionError);
    const altered = Buffer.from(sameKid.ct, 'base64');
    altered[0] ^= 1;
    expect(() => cipher.open({ ...sealed, ct: altered.toString('base64') }, 'verifications.members:v-1')).toThrow(/does not open/);
    expect(() => cipher.open(members, 'verifications.members:v-1')).toThrow(/not encrypted/);
  });

  it('opens what a previous key sealed after a rotation, and seals with the new one', () => {
    const old = randomBytes(32);
    const sealedBefore = new DataCipher(old).seal(members, 'c');
    const rotated = new DataCipher(randomBytes(32), [old]);
    expect(rotated.open(sealedBefore, 'c')).toEqual(members);
    expect(rotated.seal(members, 'c').kid).toBe(rotated.currentKeyId);
    expect(rotated.currentKeyId).not.toBe(sealedBefore.kid);
  });
});

describe('parseDataEncryptionKey', () => {
  const key = randomBytes(32);
  it.each([
    ['hex', key.toString('hex')],
    ['base64', key.toString('base64')],
    ['base64url without padding', key.toString('base64url')],
  ])('reads %s', (_, text) => {
    expect(parseDataEncryptionKey(`  ${text}\n`).equals(key)).toBe(true);
  });

  it.each([[''], [randomBytes(16).toString('base64')], [randomBytes(31).toString('hex')], ['x'.repeat(44)]])(
    'refuses "%s" without echoing it',
    (text) => {
      expect(() => parseDataEncryptionKey(text)).toThrow(/VERIHUB_DATA_ENCRYPTION_KEY must be 32 bytes/);
    },
  );
});
