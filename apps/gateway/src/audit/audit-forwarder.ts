import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { request as httpRequest, type IncomingMessage } from 'http';
import { request as httpsRequest } from 'https';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';

export const AUDIT_FORWARDING_OPTIONS = 'VERIHUB_AUDIT_FORWARDING_OPTIONS';

export interface AuditForwardingOptions {
  /** The audit service's base URL (VERIHUB_AUDIT_URL); undefined: not configured (503). */
  url?: URL;
  /** How long to wait for the connection and the response headers, and the longest silence while streaming. */
  timeoutMs: number;
}

/** Request headers passed on to the audit service (the caller's token among them); nothing else. */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'accept', 'accept-language'];
/** Response headers passed back to the caller. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'retry-after', 'www-authenticate'];

/**
 * Passes an auditor's request on to the audit service (the auditor API lives there; the gateway is the
 * single public entry): same method, path, query and JSON body, with the caller's Authorization header;
 * the response — status, content type and body — streams back unchanged (a CSV export can be large).
 * The audit service authenticates and authorizes again (defence in depth).
 */
@Injectable()
export class AuditForwarder {
  private readonly logger = new Logger('AuditForwarder');

  constructor(@Inject(AUDIT_FORWARDING_OPTIONS) private readonly options: AuditForwardingOptions) {}

  async forward(incoming: Request, outgoing: Response): Promise<void> {
    const base = this.options.url;
    if (!base) {
      throw new GatewayException(
        GatewayExceptionCode.AUDIT_SERVICE_NOT_CONFIGURED,
        'The audit service is not configured on this gateway (VERIHUB_AUDIT_URL).',
      );
    }
    // originalUrl keeps the query exactly as the client sent it; the path is one of the fixed audit routes.
    const target = new URL(base.pathname.replace(/\/$/, '') + incoming.originalUrl, base);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = incoming.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let body: Buffer | undefined;
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      body = Buffer.from(JSON.stringify(incoming.body ?? {}), 'utf8');
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(body.length);
    }
    const upstream = await this.send(target, incoming.method, headers, body);

    outgoing.status(upstream.statusCode ?? 502);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers[name];
      if (value !== undefined) outgoing.setHeader(name, value);
    }
    await new Promise<void>((resolve) => {
      upstream.on('error', (err) => {
        // Headers are gone already: all that is left is to cut the response short.
        this.logger.warn(`audit service response broken off: ${err.message}`);
        outgoing.destroy(err);
        resolve();
      });
      outgoing.on('close', () => {
        if (!upstream.complete) upstream.destroy();
        resolve();
      });
      upstream.pipe(outgoing);
    });
  }

  private send(target: URL, method: string, headers: Record<string, string>, body: Buffer | undefined): Promise<IncomingMessage> {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      let answered = false;
      const unreachable = (reason: string) => {
        if (answered) return;
        // The route only (no query: it may hold an identity number).
        this.logger.warn(`audit service unreachable (${method} ${target.pathname}): ${reason}`);
        reject(
          new GatewayException(
            GatewayExceptionCode.AUDIT_SERVICE_UNREACHABLE,
            'The audit service did not answer; try again shortly, or tell the operators.',
          ),
        );
      };
      const req = send(target, { method, headers, timeout: this.options.timeoutMs }, (res) => {
        answered = true;
        req.setTimeout(0);
        res.setTimeout(this.options.timeoutMs, () => res.destroy(new Error(`no data for ${this.options.timeoutMs} ms`)));
        resolve(res);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', (err) => unreachable(err.message));
      req.end(body);
    });
  }
}
