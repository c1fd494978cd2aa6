/**
 * The Kafka broker of the run: the one answering at KAFKA_BROKERS when there is one (left running), else a fresh
 * single-node broker started with scripts/kafka/start.sh on its own data directory inside the run directory
 * (fresh topics and offsets), stopped and removed at the end.
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { Socket } from 'net';
import { join } from 'path';

export interface Broker {
  brokers: string[];
  startedHere: boolean;
  version: string;
  /** The broker's JVM, when it runs on this machine. */
  pid?: number;
  stop(): void;
}

function reachable(hostPort: string, timeoutMs = 2000): Promise<boolean> {
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

/** The JVM running kafka.Kafka whose server.properties advertises `port`. */
export function findBrokerPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    const at = args.indexOf('kafka.Kafka');
    if (at < 0) continue;
    const config = args[at + 1];
    try {
      if (config && new RegExp(`^advertised\\.listeners=PLAINTEXT://[^:]+:${port}$`, 'm').test(readFileSync(config, 'utf8'))) return Number(entry);
    } catch {
      // not readable: not ours to measure
    }
  }
  return undefined;
}

/** The Kafka version of the jars scripts/kafka/fetch.sh brought (kafka_2.13-3.9.1.jar), or "unknown". */
function kafkaVersion(root: string, pid?: number): string {
  let libs = join(root, '.kafka', 'libs');
  if (pid) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const cp = args[args.indexOf('-cp') + 1];
      if (cp) libs = cp.replace(/\/\*$/, '');
    } catch {
      // keep the default place
    }
  }
  if (!existsSync(libs)) return 'unknown';
  const jar = readdirSync(libs).find((f) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(f));
  return jar ? jar.replace(/^kafka_[\d.]+-([\d.]+)\.jar$/, '$1') : 'unknown';
}

export async function ensureBroker(root: string, brokersSetting: string, dataDir: string, log: (line: string) => void): Promise<Broker> {
  const brokers = brokersSetting.split(',').map((b) => b.trim()).filter(Boolean);
  const [host, portText] = brokers[0].split(':');
  const port = Number(portText);
  if (await reachable(brokers[0])) {
    const pid = findBrokerPid(port);
    log(`Kafka: using the broker at ${brokers[0]}${pid ? ` (pid ${pid})` : ''}`);
    return { brokers, startedHere: false, version: kafkaVersion(root, pid), pid, stop: () => undefined };
  }
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`no Kafka broker answers at ${brokers[0]}`);
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_DATA_DIR: dataDir };
  log(`Kafka: starting a broker on 127.0.0.1:${port} (data ${dataDir})`);
  execFileSync('bash', [join(root, 'scripts/kafka/start.sh')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const pid = findBrokerPid(port);
  return {
    brokers,
    startedHere: true,
    version: kafkaVersion(root, pid),
    pid,
    stop: () => {
      execFileSync('bash', [join(root, 'scripts/kafka/stop.sh'), '--clean'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    },
  };
}
