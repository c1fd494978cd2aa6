import { hashFormatOf, hashPassword, legacyScryptHashForTests, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('hashes with argon2id, a fresh salt each time, and verifies', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$(?=[^$]*\bm=19456\b)(?=[^$]*\bt=2\b)(?=[^$]*\bp=1\b)[^$]+\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('verifies a legacy scrypt hash, and asks for a rehash', async () => {
    const legacy = await legacyScryptHashForTests('an-old-password');
    expect(hashFormatOf(legacy)).toBe('scrypt');
    expect(await verifyPassword('an-old-password', legacy)).toBe(true);
    expect(await verifyPassword('another-password', legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
  });

  it('treats the same text in another Unicode form as the same password (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('refuses anything in an unknown or broken format, without throwing', async () => {
    for (const stored of ['', 'plain-text', '$argon2id$broken', 'scrypt$x$y$z$$', '$2b$12$abcdefghijklmnopqrstuu']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  });

  it('checks a dummy hash when there is no account (always false)', async () => {
    expect(await verifyAgainstDummy('whatever')).toBe(false);
  });
});
