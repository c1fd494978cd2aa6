import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadOrCreateSecrets } from './data-directory';

describe('loadOrCreateSecrets', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'verihub-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates every secret once, owner-only, and keeps them', () => {
    const first = loadOrCreateSecrets(dir, ['tax']);
    expect(Buffer.from(first.dataEncryptionKey, 'base64')).toHaveLength(32);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(dir, ['tax'])).toEqual(first);
  });

  it('adds the data encryption key to a secrets file written before it existed, changing nothing else', () => {
    const older = { databasePassword: 'pw', jwtSecret: 'j'.repeat(43), identityHashKey: 'i'.repeat(43), querySigningKey: 'q', providerSigningKeys: {} };
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(older));
    const secrets = loadOrCreateSecrets(dir);
    expect(secrets).toMatchObject(older);
    expect(Buffer.from(secrets.dataEncryptionKey, 'base64')).toHaveLength(32);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).dataEncryptionKey).toBe(secrets.dataEncryptionKey);
  });
});
