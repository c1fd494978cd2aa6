import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../database/user.entity';
import type { Actor } from './actor';

/** What a token says: who (sub), as what (role, region, provider: informative for clients) and which token version. */
interface TokenClaims {
  sub: string;
  role: Role;
  region: string;
  prov?: string;
  /** The account's token_version when the token was issued; a token of an older version is refused. */
  ver: number;
}

export interface IssuedToken {
  accessToken: string;
  /** seconds */
  expiresIn: number;
}

export interface TokenSubject {
  username: string;
  tokenVersion: number;
}

/** HS256 bearer tokens; the secret and lifetime come from the gateway's options. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly lifetimeSeconds: number,
  ) {}

  async issue(actor: Actor, tokenVersion: number): Promise<IssuedToken> {
    const claims: TokenClaims = {
      sub: actor.username,
      role: actor.role,
      region: actor.regionCode,
      ...(actor.provider ? { prov: actor.provider } : {}),
      ver: tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.lifetimeSeconds, algorithm: 'HS256' });
    return { accessToken, expiresIn: this.lifetimeSeconds };
  }

  /**
   * The subject of a well-signed, unexpired token; undefined for anything else. Whether the account is
   * still active and the token still current is for the caller to check against the account (AuthGuard).
   */
  async verify(token: string): Promise<TokenSubject | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<TokenClaims>>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || !Number.isInteger(claims.ver)) return undefined;
      return { username: claims.sub, tokenVersion: claims.ver as number };
    } catch {
      return undefined;
    }
  }
}
