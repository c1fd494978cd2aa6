import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

const logger = new Logger('HTTP');

/**
 * One line per request: method, route pattern (not the URL: no query string, nothing a client typed),
 * status, latency and the user. Bodies are never logged: they hold identity numbers and names.
 */
export function requestLogging(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const routePath = (request.route as { path?: string } | undefined)?.path;
    // Unmatched: only the first segments (a path could hold anything a client typed).
    const route = routePath ?? `${request.path.split('/').slice(0, 4).join('/')} (no route)`;
    const user = (request as AuthenticatedRequest).actor?.username ?? '-';
    logger.log(`${request.method} ${route} ${response.statusCode} ${ms.toFixed(1)}ms user=${user}`);
  });
  next();
}
