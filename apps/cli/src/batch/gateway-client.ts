/**
 * A small client of the gateway's public API for the CLI: signs in once, then calls with the bearer
 * token. Errors carry the problem body's detail and field errors, never the request body.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface GatewayClientOptions {
  url: string;
  username: string;
  password: string;
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

export class GatewayClient {
  private token?: string;

  constructor(private readonly options: GatewayClientOptions) {}

  async json<T>(method: string, path: string): Promise<T> {
    const response = await this.call(method, path, { headers: { accept: 'application/json' } });
    return (await response.json()) as T;
  }

  /** Streams a file as the body (never held in memory whole). */
  async upload<T>(path: string, file: string, contentType: string): Promise<T> {
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    const response = await this.call('POST', path, { headers: { 'content-type': contentType, accept: 'application/json' }, body, duplex: 'half' });
    return (await response.json()) as T;
  }

  /** The response body as a stream of bytes (results exports). */
  async download(path: string, accept: string): Promise<Readable> {
    const response = await this.call('GET', path, { headers: { accept } });
    return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }

  private async call(method: string, path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    const token = await this.signIn();
    const response = await fetch(new URL(path, this.options.url), {
      ...init,
      method,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await problemOf(response);
    return response;
  }

  private async signIn(): Promise<string> {
    if (this.token) return this.token;
    let response: Response;
    try {
      response = await fetch(new URL('/api/v1/auth/token', this.options.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: this.options.username, password: this.options.password }),
      });
    } catch (err) {
      throw new Error(`cannot reach the gateway at ${this.options.url}: ${(err as Error).message} (start it, or pass --url)`);
    }
    if (!response.ok) throw await problemOf(response);
    this.token = ((await response.json()) as { accessToken: string }).accessToken;
    return this.token;
  }
}

async function problemOf(response: Response): Promise<GatewayError> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string; errors?: Array<{ field: string; message: string }> };
    return new GatewayError(response.status, `${response.status} ${problem.title ?? ''}: ${problem.detail ?? ''}`.trim(), problem.errors ?? []);
  } catch {
    return new GatewayError(response.status, `${response.status} ${response.statusText}`);
  }
}
