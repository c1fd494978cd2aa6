import { Injectable, Logger } from '@nestjs/common';
import { hashPassword } from '../auth/password-hasher';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { providerErrors } from './account-rules';
import type { CreateUserDto, UserView } from './user.dto';
import { toUserView } from './user.mapper';
import { UserRepository } from './user.repository';

/** An administrator creates an account; the password is kept only as an argon2id hash. */
@Injectable()
export class CreateUserUseCase {
  private readonly logger = new Logger(CreateUserUseCase.name);

  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, input: CreateUserDto): Promise<UserView> {
    const errors = providerErrors(input.role, input.provider);
    if (errors.length > 0) throw GatewayException.invalidInput(errors);
    const created = await this.users.insert({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      regionCode: input.regionCode,
      provider: input.provider ?? null,
    }, async (manager, row) => {
      // Which account (user:<username>) and what it was given; never the password or its hash.
      await this.audit.enqueue(manager, {
        action: 'user_created',
        actor: actorRef(actor),
        dataCategories: [`user:${row.username}`, `role:${row.role}`, `region:${row.regionCode}`, ...(row.provider ? [`provider:${row.provider}`] : [])],
        status: 'succeeded',
      });
    });
    this.audit.nudge();
    if (!created) {
      throw new GatewayException(GatewayExceptionCode.USERNAME_TAKEN, `The username "${input.username}" is taken.`, [
        { field: 'username', message: 'is taken' },
      ]);
    }
    const provider = created.provider ? `, provider ${created.provider}` : '';
    this.logger.log(`user ${created.username} (${created.role}, region ${created.regionCode}${provider}) created by ${actor.username}`);
    return toUserView(created);
  }
}
