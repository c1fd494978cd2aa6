/**
 * Integration tier: needs a Kafka broker (KAFKA_BROKERS, default 127.0.0.1:9092 — `npm run kafka:start`)
 * and PostgreSQL (TEST_DATABASE_ADMIN_URL). Fails fast with the reason when either is missing.
 */
import { Socket } from 'net';
import medium from '../medium/global-setup';

function reachable(hostPort: string, timeoutMs = 3000): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port), host, () => done(true));
  });
}

export default async function globalSetup(): Promise<void> {
  await medium();
  process.env.KAFKA_BROKERS ??= '127.0.0.1:9092';
  const broker = process.env.KAFKA_BROKERS.split(',')[0];
  if (!(await reachable(broker))) {
    throw new Error(`The integration tests need a Kafka broker at ${broker}: run \`npm run kafka:start\` (or set KAFKA_BROKERS).`);
  }
}
