import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { GatewayException, GatewayExceptionCode } from './gateway.exception';
import { problemKindOf } from './gateway-exception.mapper';
import { ProblemDetailsFilter } from './problem-details.filter';

interface Sent {
  status?: number;
  type?: string;
  body?: string;
  headers: Record<string, string>;
}

function httpHost(sent: Sent): ArgumentsHost {
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(value: string) {
      sent.type = value;
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
  };
  const request = { method: 'POST', path: '/api/v1/verifications', route: { path: '/api/v1/verifications' } };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
}

describe('problem details for every error', () => {
  const filter = new ProblemDetailsFilter();
  beforeAll(() => Logger.overrideLogger(false));

  it('maps a gateway exception through its code, with the field errors', () => {
    const sent: Sent = { headers: {} };
    filter.catch(GatewayException.invalidInput([{ field: 'members[1].idNumber', message: 'bad' }]), httpHost(sent));
    expect(sent.status).toBe(400);
    expect(sent.type).toBe('application/problem+json');
    expect(JSON.parse(sent.body!)).toEqual({
      type: 'urn:verihub:problem:invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: 'The request is invalid; see errors for each field.',
      errors: [{ field: 'members[1].idNumber', message: 'bad' }],
    });
  });

  it('hides an unexpected error behind a generic 500 (no message, no stack)', () => {
    const sent: Sent = { headers: {} };
    filter.catch(new Error('password authentication failed for user "verihub" at /srv/app/secret.ts:12'), httpHost(sent));
    expect(sent.status).toBe(500);
    expect(sent.body).not.toMatch(/password|secret|\.ts|at /);
    expect(JSON.parse(sent.body!)).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it('keeps the status of framework HTTP exceptions', () => {
    const sent: Sent = { headers: {} };
    filter.catch(new BadRequestException('nope'), httpHost(sent));
    expect(JSON.parse(sent.body!)).toMatchObject({ status: 400, title: 'Bad Request', detail: 'nope', errors: [] });
  });

  it('asks for a bearer token on 401', () => {
    const sent: Sent = { headers: {} };
    filter.catch(new GatewayException(GatewayExceptionCode.AUTHENTICATION_REQUIRED, 'no token'), httpHost(sent));
    expect(sent.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('has a status and a problem type for every code', () => {
    for (const code of Object.values(GatewayExceptionCode)) {
      const kind = problemKindOf(code);
      expect(kind.status).toBeGreaterThanOrEqual(400);
      expect(kind.slug).toMatch(/^[a-z-]+$/);
    }
  });

  it('leaves errors of message handlers to their transport', () => {
    const error = new Error('handler failed');
    expect(() => filter.catch(error, { getType: () => 'rpc' } as unknown as ArgumentsHost)).toThrow(error);
  });
});
