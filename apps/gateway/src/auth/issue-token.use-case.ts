import { Injectable, Logger } from '@nestjs/common';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { UserRepository } from '../users/user.repository';
import { verifyAgainstDummy, verifyPassword } from './password-hasher';
import type { TokenRequestDto, TokenResponseDto } from './token.dto';
import { TokenService } from './token.service';

/** Username and password for a bearer token; a wrong username and a wrong password look the same. */
@Injectable()
export class IssueTokenUseCase {
  private readonly logger = new Logger(IssueTokenUseCase.name);

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
  ) {}

  async execute(input: TokenRequestDto): Promise<TokenResponseDto> {
    const user = await this.users.findByUsername(input.username);
    const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
    if (!user || !ok) {
      this.logger.warn(`token refused for username "${input.username}"`);
      throw new GatewayException(GatewayExceptionCode.INVALID_CREDENTIALS, 'Wrong username or password.');
    }
    const actor = { username: user.username, role: user.role, regionCode: user.regionCode };
    const token = await this.tokens.issue(actor);
    return { ...token, user: actor };
  }
}
