import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/auditor.guard';

const logger = new Logger('AuditHTTP');

/**
 * One line per request: method, route pattern (never the URL: a query string can hold an identity
 * number), status, latency and the user.
 */
export function requestLogging(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const routePath = (request.route as { path?: string } | undefined)?.path;
    const route = routePath ?? `${request.path.split('/').slice(0, 5).join('/')} (no route)`;
    const user = (request as AuthenticatedRequest).auditor?.username ?? '-';
    logger.log(`${request.method} ${route} ${response.statusCode} ${ms.toFixed(1)}ms user=${user}`);
  });
  next();
}
