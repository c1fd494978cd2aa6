import type { NextFunction, Request, Response } from 'express';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Turns the JSON body parser's errors into problems (malformed JSON is a 400 naming no field). */
export function bodyErrors(error: BodyParserError, _request: Request, _response: Response, next: NextFunction): void {
  switch (error.type) {
    case 'entity.parse.failed':
      return next(new GatewayException(GatewayExceptionCode.MALFORMED_BODY, 'The request body is not valid JSON.'));
    case 'entity.too.large':
      return next(new GatewayException(GatewayExceptionCode.BODY_TOO_LARGE, 'The request body is too large.'));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return next(new GatewayException(GatewayExceptionCode.UNSUPPORTED_BODY, 'The request body’s encoding or charset is not supported; send UTF-8 JSON.'));
    default:
      if (error.type && error.status && error.status < 500) {
        return next(new GatewayException(GatewayExceptionCode.MALFORMED_BODY, 'The request body could not be read.'));
      }
      return next(error);
  }
}
