import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Auditor } from './auditor';

/** The claims the gateway puts in its HS256 tokens (apps/gateway/src/auth/token.service.ts). */
interface TokenClaims {
  sub: string;
  role: string;
  region: string;
}

/** Verifies the gateway's bearer tokens with the shared secret; it never issues any. */
@Injectable()
export class BearerTokenVerifier {
  constructor(private readonly jwt: JwtService) {}

  /** The caller of a valid, unexpired token; undefined for anything else. */
  async verify(token: string): Promise<Auditor | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<TokenClaims>>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.region !== 'string') return undefined;
      return { username: claims.sub, role: claims.role, regionCode: claims.region };
    } catch {
      return undefined;
    }
  }
}
