/** The run's own database on DATABASE_URL's server: created fresh, dropped at the end (unless --keep). */
import { Client } from 'pg';

export interface RunDatabase {
  url: string;
  name: string;
  serverVersion: string;
  drop(): Promise<void>;
}

function adminUrl(serverUrl: string): URL {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  return url;
}

export async function createRunDatabase(serverUrl: string, name: string): Promise<RunDatabase> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be lower-case letters, digits and _`);
  const admin = new Client({ connectionString: adminUrl(serverUrl).toString() });
  await admin.connect();
  let serverVersion: string;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    serverVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    serverVersion,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl(serverUrl).toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
