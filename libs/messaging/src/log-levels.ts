import type { LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * The Nest log levels a process prints, from VERIHUB_LOG_LEVEL (fatal | error | warn | log | debug |
 * verbose; default log): that level and every more severe one. Debug lines (one per message handled)
 * cost real CPU at batch rates, so they are off unless asked for. Every app's main applies this.
 */
export function logLevelsFromEnv(env: NodeJS.ProcessEnv): LogLevel[] {
  const wanted = (env.VERIHUB_LOG_LEVEL ?? 'log').trim().toLowerCase();
  const index = ORDER.indexOf(wanted as LogLevel);
  if (index < 0) throw new Error(`VERIHUB_LOG_LEVEL must be one of ${ORDER.join(', ')}, not "${wanted}"`);
  return ORDER.slice(0, index + 1);
}
