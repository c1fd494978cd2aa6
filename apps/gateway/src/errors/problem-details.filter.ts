import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayException } from './gateway.exception';
import { gatewayExceptionToProblem } from './gateway-exception.mapper';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType } from './problem';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Every HTTP error leaves as RFC 9457 problem details. Gateway exceptions map through their code;
 * framework HttpExceptions keep their status; anything else is a 500 whose details stay in the log.
 * Only the HTTP context is handled here: message handlers have their own error semantics.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(exception, request);
    if (response.headersSent) return;
    if (problem.status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', 'Bearer');
    if (exception instanceof GatewayException && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    if (exception instanceof GatewayException) return gatewayExceptionToProblem(exception);
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    this.logger.error(
      `${request.method} ${request.path} failed: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
    );
    return {
      type: 'about:blank',
      title: STATUS_TITLES[500],
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      errors: [],
    };
  }

  private fromHttpException(exception: HttpException, request: Request): ProblemDetails {
    const status = exception.getStatus();
    const title = STATUS_TITLES[status] ?? exception.name;
    if (status === HttpStatus.NOT_FOUND && !request.route) {
      return {
        type: problemType('route-not-found'),
        title: 'Not Found',
        status,
        detail: `No route ${request.method} ${request.path}`,
        errors: [],
      };
    }
    if (status >= 500) this.logger.error(`${request.method} ${request.path} failed: ${exception.stack ?? exception.message}`);
    const body = exception.getResponse();
    const message =
      typeof body === 'string'
        ? body
        : typeof body === 'object' && body !== null && 'message' in body
          ? ([] as unknown[]).concat((body as { message: unknown }).message).map(String).join('; ')
          : exception.message;
    return { type: 'about:blank', title, status, detail: status >= 500 ? 'An unexpected error occurred; it has been logged.' : message, errors: [] };
  }
}
