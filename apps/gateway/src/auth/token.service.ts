import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '../database/user.entity';
import type { Actor } from './actor';

interface TokenClaims {
  sub: string;
  role: Role;
  region: string;
}

export interface IssuedToken {
  accessToken: string;
  /** seconds */
  expiresIn: number;
}

/** HS256 bearer tokens carrying who the caller is; the secret and lifetime come from the gateway's options. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly lifetimeSeconds: number,
  ) {}

  async issue(actor: Actor): Promise<IssuedToken> {
    const claims: TokenClaims = { sub: actor.username, role: actor.role, region: actor.regionCode };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.lifetimeSeconds, algorithm: 'HS256' });
    return { accessToken, expiresIn: this.lifetimeSeconds };
  }

  /** The actor of a valid, unexpired token; undefined for anything else. */
  async verify(token: string): Promise<Actor | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<TokenClaims>>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || typeof claims.region !== 'string') return undefined;
      if (!ROLES.includes(claims.role as Role)) return undefined;
      return { username: claims.sub, role: claims.role as Role, regionCode: claims.region };
    } catch {
      return undefined;
    }
  }
}
