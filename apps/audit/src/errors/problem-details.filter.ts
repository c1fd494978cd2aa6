import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditException } from './audit.exception';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, auditExceptionToProblem, problemType } from './audit-exception.mapper';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/**
 * Every HTTP error leaves as RFC 9457 problem details: audit exceptions through their code, framework
 * HttpExceptions with their status, anything else as a 500 whose details stay in the log (which never
 * holds a query string). Message handlers keep their own error semantics.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('AuditHTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(exception, request);
    if (response.headersSent) {
      // A streamed export that failed half-way: cut the response so the client sees it is incomplete.
      response.destroy();
      return;
    }
    if (problem.status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    if (exception instanceof AuditException) return auditExceptionToProblem(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND && !request.route) {
        return { type: problemType('route-not-found'), title: 'Not Found', status, detail: `No route ${request.method} ${request.path}`, errors: [] };
      }
      if (status >= 500) this.logger.error(`${request.method} ${request.path} failed: ${exception.stack ?? exception.message}`);
      return {
        type: 'about:blank',
        title: STATUS_TITLES[status] ?? exception.name,
        status,
        detail: status >= 500 ? 'An unexpected error occurred; it has been logged.' : exception.message,
        errors: [],
      };
    }
    this.logger.error(`${request.method} ${request.path} failed: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    return { type: 'about:blank', title: STATUS_TITLES[500], status: 500, detail: 'An unexpected error occurred; it has been logged.', errors: [] };
  }
}
