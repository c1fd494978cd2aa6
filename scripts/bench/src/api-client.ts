/** A small client of the gateway's public API (api.md): sign-in with automatic renewal, JSON and raw requests. */
import { request as httpRequest } from 'http';

export interface ApiResponse<T> {
  status: number;
  body: T;
  text: string;
}

export class ApiError extends Error {
  constructor(readonly method: string, readonly path: string, readonly status: number, readonly text: string) {
    super(`${method} ${path} → ${status}: ${text.slice(0, 500)}`);
  }
}

export class ApiClient {
  private token = '';

  constructor(
    readonly baseUrl: string,
    private readonly credentials: { username: string; password: string },
    /** A request unanswered this long fails (a hung gateway ends the run instead of stalling it). */
    private readonly timeoutMs = 60_000,
  ) {}

  async signIn(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.credentials),
    });
    const text = await res.text();
    if (res.status !== 200) throw new ApiError('POST', '/api/v1/auth/token', res.status, text);
    this.token = (JSON.parse(text) as { accessToken: string }).accessToken;
  }

  /** A JSON request; a 401 (expired token) signs in again once. */
  async call<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<ApiResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, accept, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      }).catch((err: Error) => {
        throw new Error(`${method} ${path}: ${err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : err.message}`);
      });
      const text = await res.text();
      if (res.status === 401 && attempt === 0) {
        await this.signIn();
        continue;
      }
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
      }
      return { status: res.status, body: parsed as T, text };
    }
  }

  async expect<T>(method: string, path: string, body: unknown, status: number): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status !== status) throw new ApiError(method, path, res.status, res.text);
    return res.body;
  }

  /**
   * Sends a large body (a batch file) over node:http without fetch's header timeout: the answer to an upload of
   * 100,000 lines may take minutes.
   */
  upload(path: string, contentType: string, body: Buffer): Promise<ApiResponse<unknown>> {
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': contentType, 'content-length': body.length, accept: 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
