/**
 * The single-process mode: one process runs every app over the in-process transport, on the embedded
 * PostgreSQL of the data directory. First start seeds synthetic department data, the demo policy and
 * the demo accounts. Each app is started through its own bootstrap (apps/<app>/src/<app>.app.ts), the
 * same code a distributed deployment runs one per process.
 */
import { Logger } from '@nestjs/common';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { bankProviderId, parseBankCodes, parsePrivateKey, providerRegistry, publicKeyOf, todayInShanghai } from '@verihub/domain';
import { generateSyntheticHouseholds, seedExchangeDatabases } from '@verihub/exchange';
import type { MessagingConfig } from '@verihub/messaging';
import { claimDataDirectory, loadOrCreateSecrets, openDataDirectoryDatabase, resolveDataDir } from '@verihub/persistence';
import { migrateBankAdapter, startBankAdapter } from '../../adapter-bank/src/adapter-bank.app';
import { migrateHousingAdapter, startHousingAdapter } from '../../adapter-housing/src/adapter-housing.app';
import { migrateProvidentFundAdapter, startProvidentFundAdapter } from '../../adapter-provident-fund/src/adapter-provident-fund.app';
import { migratePublicSecurityAdapter, startPublicSecurityAdapter } from '../../adapter-public-security/src/adapter-public-security.app';
import { migrateTaxAdapter, startTaxAdapter } from '../../adapter-tax/src/adapter-tax.app';
import { migrateAggregator, startAggregator } from '../../aggregator/src/aggregator.app';
import { migrateAudit, startAudit } from '../../audit/src/audit.app';
import { migrateGateway, startGateway } from '../../gateway/src/gateway.app';

const logger = new Logger('Hub');

export interface Closeable {
  close(): Promise<void>;
}

export interface SingleProcessHub extends Closeable {
  url: string;
}

interface HubSettings {
  dataDir: string;
  port: number;
  demoPassword: string;
  bankCodes: string[];
  seedHouseholds: number;
  providerDeadlineMs: number;
  staticDir?: string;
}

function settingsFrom(env: NodeJS.ProcessEnv): HubSettings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const seedHouseholds = Number(env.VERIHUB_SEED_HOUSEHOLDS ?? 1000);
  if (!Number.isInteger(seedHouseholds) || seedHouseholds < 0) throw new Error('VERIHUB_SEED_HOUSEHOLDS must be a whole number');
  const providerDeadlineMs = Number(env.PROVIDER_DEADLINE_MS ?? 30000);
  if (!Number.isInteger(providerDeadlineMs) || providerDeadlineMs < 100) throw new Error('PROVIDER_DEADLINE_MS must be at least 100');
  return {
    dataDir: resolveDataDir(env),
    port,
    demoPassword: env.VERIHUB_DEMO_PASSWORD ?? 'verihub-demo',
    bankCodes: parseBankCodes(env.VERIHUB_BANKS),
    seedHouseholds,
    providerDeadlineMs,
    staticDir: env.VERIHUB_STATIC_DIR ?? builtConsoleDir(env),
  };
}

/** The web console `npm run build` writes (dist/apps/console), served at / when it exists. */
function builtConsoleDir(env: NodeJS.ProcessEnv): string | undefined {
  const dir = join(env.VERIHUB_ROOT ?? process.cwd(), 'dist', 'apps', 'console');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** Seeds the departments' exchange databases once per data directory, and writes ready-to-send requests. */
async function seedOnce(databaseUrl: string, settings: HubSettings): Promise<void> {
  const marker = join(settings.dataDir, 'seed.json');
  if (existsSync(marker)) {
    const seeded = JSON.parse(readFileSync(marker, 'utf8')) as { households: number; asOf: string };
    logger.log(`department data already seeded (${seeded.households} households, as of ${seeded.asOf})`);
    return;
  }
  const options = { households: settings.seedHouseholds, seed: 1, banks: settings.bankCodes, asOf: todayInShanghai(), regionCodes: ['500115'] };
  const started = Date.now();
  logger.log(`seeding synthetic department data for ${options.households} households...`);
  const result = await seedExchangeDatabases(databaseUrl, options);
  // Every tenth sample asks for housing assistance, so the second demo policy (employment deduction,
  // per-capita area limit) is exercised too.
  const requests = [...generateSyntheticHouseholds(options)].map((h) =>
    JSON.stringify(h.index % 10 === 9 ? { ...h.request, program: 'housing' } : h.request),
  );
  writeFileSync(join(settings.dataDir, 'demo-households.jsonl'), requests.join('\n') + (requests.length ? '\n' : ''));
  writeFileSync(marker, JSON.stringify({ households: result.households, asOf: options.asOf, seededAt: new Date().toISOString() }, null, 2) + '\n');
  logger.log(`seeded ${result.households} households in ${Date.now() - started} ms`);
}

export async function runSingleProcess(env: NodeJS.ProcessEnv): Promise<SingleProcessHub> {
  const settings = settingsFrom(env);
  // Keys are generated once into the data directory's secrets (a signing key per provider asked).
  const providers = providerRegistry(settings.bankCodes).map((p) => p.id);
  const secrets = loadOrCreateSecrets(settings.dataDir, providers);
  const queryVerifyKey = publicKeyOf(parsePrivateKey(secrets.querySigningKey));
  const adapterKeys = (provider: string) => ({
    queryVerifyKey,
    answerSigningKey: secrets.providerSigningKeys[provider],
    identityHashKey: secrets.identityHashKey,
  });
  const providerKeys = Object.fromEntries(providers.map((p) => [p, publicKeyOf(parsePrivateKey(secrets.providerSigningKeys[p]))]));
  const claim = await claimDataDirectory(settings.dataDir);
  const database = await openDataDirectoryDatabase(settings.dataDir).catch((err: Error) => {
    claim.release();
    throw err;
  });
  const databaseUrl = database.url;
  const running: Closeable[] = [];
  const close = async () => {
    for (const app of running.reverse()) await app.close().catch((err: Error) => logger.warn(`close: ${err.message}`));
    await database.stop();
    claim.release();
  };

  try {
    // Migrations are an explicit step before any app starts (each app owns its schema).
    await migrateAudit({ databaseUrl });
    await migrateGateway({ databaseUrl, dataEncryptionKey: secrets.dataEncryptionKey });
    await migrateAggregator({ databaseUrl });
    await migratePublicSecurityAdapter({ databaseUrl });
    await migrateTaxAdapter({ databaseUrl });
    await migrateHousingAdapter({ databaseUrl });
    await migrateProvidentFundAdapter({ databaseUrl });
    for (const bankCode of settings.bankCodes) await migrateBankAdapter({ bankCode, databaseUrl });
    await seedOnce(databaseUrl, settings);

    const messaging = (name: string): MessagingConfig => ({ transport: 'in-process', brokers: [], clientId: name, groupId: name });
    // The audit service first, so no event is published before its consumer exists; its API listens on
    // loopback only, behind the gateway's /api/v1/audit forwarding.
    const audit = await startAudit({
      databaseUrl,
      messaging: messaging('verihub-audit'),
      port: 0,
      host: '127.0.0.1',
      jwtSecret: secrets.jwtSecret,
      identityHashKey: secrets.identityHashKey,
    });
    running.push(audit);
    running.push(await startPublicSecurityAdapter({ databaseUrl, messaging: messaging('verihub-adapter-public-security'), ...adapterKeys('public-security') }));
    running.push(await startTaxAdapter({ databaseUrl, messaging: messaging('verihub-adapter-tax'), ...adapterKeys('tax') }));
    running.push(await startHousingAdapter({ databaseUrl, messaging: messaging('verihub-adapter-housing'), ...adapterKeys('housing') }));
    running.push(await startProvidentFundAdapter({ databaseUrl, messaging: messaging('verihub-adapter-provident-fund'), ...adapterKeys('provident-fund') }));
    for (const bankCode of settings.bankCodes) {
      running.push(
        await startBankAdapter({
          bankCode,
          databaseUrl,
          messaging: messaging(`verihub-adapter-bank-${bankCode.toLowerCase()}`),
          ...adapterKeys(bankProviderId(bankCode)),
        }),
      );
    }
    running.push(
      await startAggregator({
        databaseUrl,
        messaging: messaging('verihub-aggregator'),
        bankCodes: settings.bankCodes,
        providerDeadlineMs: settings.providerDeadlineMs,
        querySigningKey: secrets.querySigningKey,
        identityHashKey: secrets.identityHashKey,
        providerKeys,
        dataEncryptionKey: secrets.dataEncryptionKey,
      }),
    );
    const gateway = await startGateway({
      databaseUrl,
      messaging: messaging('verihub-gateway'),
      port: settings.port,
      jwtSecret: secrets.jwtSecret,
      identityHashKey: secrets.identityHashKey,
      dataEncryptionKey: secrets.dataEncryptionKey,
      auditUrl: audit.url,
      demoAccounts: { password: settings.demoPassword },
      demoPolicy: true,
      bankCodes: settings.bankCodes,
      staticDir: settings.staticDir,
    });
    running.push(gateway);
    announce(gateway.url, settings);
    return { url: gateway.url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function announce(url: string, settings: HubSettings): void {
  const lines = [
    '',
    `verihub is running: ${url}`,
    ...(settings.staticDir ? [`  console:   ${url}/`] : []),
    `  API docs:  ${url}/api/docs`,
    `  accounts:  officer, reviewer, auditor, admin — password ${settings.demoPassword === 'verihub-demo' ? '"verihub-demo"' : 'from VERIHUB_DEMO_PASSWORD'}`,
    `  banks:     ${settings.bankCodes.join(', ')}`,
    `  data:      ${settings.dataDir} (sample requests in demo-households.jsonl)`,
    '  stop with Ctrl+C',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
