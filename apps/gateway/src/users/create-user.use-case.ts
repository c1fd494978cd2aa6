import { Injectable, Logger } from '@nestjs/common';
import { hashPassword } from '../auth/password-hasher';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import type { CreateUserDto, UserView } from './user.dto';
import { UserRepository } from './user.repository';

/** An administrator creates an account; the password is kept only as a salted scrypt hash. */
@Injectable()
export class CreateUserUseCase {
  private readonly logger = new Logger(CreateUserUseCase.name);

  constructor(private readonly users: UserRepository) {}

  async execute(actor: Actor, input: CreateUserDto): Promise<UserView> {
    const created = await this.users.insert({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      regionCode: input.regionCode,
    });
    if (!created) {
      throw new GatewayException(GatewayExceptionCode.USERNAME_TAKEN, `The username "${input.username}" is taken.`, [
        { field: 'username', message: 'is taken' },
      ]);
    }
    this.logger.log(`user ${created.username} (${created.role}, region ${created.regionCode}) created by ${actor.username}`);
    return { username: created.username, role: created.role, regionCode: created.regionCode, createdAt: new Date(created.createdAt).toISOString() };
  }
}
