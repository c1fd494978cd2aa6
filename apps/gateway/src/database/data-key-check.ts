/**
 * Run by startGateway before it serves anything: a wrong VERIHUB_DATA_ENCRYPTION_KEY stops the start with a
 * message naming key ids (never a key), instead of failing on the first verification read.
 * 1. every data key that sealed something must be configured and must open its known value;
 * 2. the newest sealed verification must open;
 * 3. no row may still hold personal data in plaintext (the migration seals them: run it with the key);
 * 4. the current key is registered with its known value.
 */
import type { DataSource } from 'typeorm';
import { type DataCipher, DataDecryptionError, type SealedValue } from '@verihub/persistence';
import { SealedPlaces } from './sealed-columns';

const CHECK_PLAINTEXT = 'verihub gateway data key check';
export const dataKeyCheckPlace = (kid: string): string => `gateway.data_keys.check_value:${kid}`;

export async function checkGatewayDataKey(dataSource: DataSource, cipher: DataCipher): Promise<void> {
  const known = (await dataSource.query(`SELECT kid, check_value FROM gateway.data_keys ORDER BY created_at`)) as Array<{ kid: string; check_value: SealedValue }>;
  for (const { kid, check_value } of known) {
    if (!cipher.hasKey(kid)) {
      const [{ used }] = (await dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM gateway.verifications WHERE members->>'kid' = $1 OR authorizations->>'kid' = $1 OR declared->>'kid' = $1)
             OR EXISTS (SELECT 1 FROM gateway.report_versions WHERE report->>'kid' = $1 OR changes->>'kid' = $1) AS used`,
        [kid],
      )) as Array<{ used: boolean }>;
      if (used) {
        throw new Error(
          `VERIHUB_DATA_ENCRYPTION_KEY is wrong: the gateway's personal data is encrypted under data key ${kid}, which is not configured ` +
            `(configured: ${cipher.currentKeyId}). Set the key that sealed it (or list it in VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS after a rotation).`,
        );
      }
      await dataSource.query(`DELETE FROM gateway.data_keys WHERE kid = $1`, [kid]);
      continue;
    }
    if (open(cipher, check_value, dataKeyCheckPlace(kid)) !== CHECK_PLAINTEXT) {
      throw new Error(`gateway data key check failed: the known value sealed under key ${kid} does not match`);
    }
  }
  const [newest] = (await dataSource.query(
    `SELECT members FROM gateway.verifications WHERE jsonb_typeof(members) = 'object' ORDER BY created_at DESC LIMIT 1`,
  )) as Array<{ members: SealedValue }>;
  if (newest) open(cipher, newest.members, SealedPlaces.members);
  const [{ plain }] = (await dataSource.query(
    `SELECT (SELECT count(*) FROM gateway.verifications WHERE jsonb_typeof(members) = 'array')
          + (SELECT count(*) FROM gateway.report_versions WHERE NOT (report ? 'ct' AND report ? 'kid')) AS plain`,
  )) as Array<{ plain: string }>;
  if (Number(plain) > 0) {
    throw new Error(`${plain} gateway row(s) hold personal data in plaintext: run \`main.js migrate\` with VERIHUB_DATA_ENCRYPTION_KEY set, which encrypts them`);
  }
  await dataSource.query(`INSERT INTO gateway.data_keys (kid, check_value) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING`, [
    cipher.currentKeyId,
    JSON.stringify(cipher.seal(CHECK_PLAINTEXT, dataKeyCheckPlace(cipher.currentKeyId))),
  ]);
}

function open<T>(cipher: DataCipher, sealed: unknown, place: string): T {
  try {
    return cipher.open<T>(sealed, place);
  } catch (err) {
    if (err instanceof DataDecryptionError) throw new Error(`VERIHUB_DATA_ENCRYPTION_KEY cannot open the gateway's stored personal data: ${err.message}`);
    throw err;
  }
}
