import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/actor';
import { UsernameParamPipe } from './username-param.pipe';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { CreateUserUseCase } from './create-user.use-case';
import { ListUsersUseCase } from './list-users.use-case';
import { UpdateUserUseCase } from './update-user.use-case';
import { CreateUserDto, UpdateUserDto, UserListView, UserView } from './user.dto';

/** Account administration: administrators only (domain.md section 2). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly createUser: CreateUserUseCase,
    private readonly listUsers: ListUsersUseCase,
    private readonly updateUser: UpdateUserUseCase,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Every account, by username (admin). No password hashes.' })
  @ApiOkResponse({ type: UserListView })
  @ApiProblems(401, 403)
  list(): Promise<UserListView> {
    return this.listUsers.execute();
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create an account (admin). The password is never returned. Operators need their provider.' })
  @ApiCreatedResponse({ type: UserView })
  @ApiProblems(400, 401, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserView> {
    return this.createUser.execute(actor, body);
  }

  @Patch(':username')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change role, region, provider or activity, reset the password, or lift a sign-in lock (admin)',
    description:
      'Every change but a bare unlock ends the account’s open tokens: it takes effect from the next sign-in. ' +
      'The last active administrator cannot be deactivated or given another role (409).',
  })
  @ApiParam({ name: 'username' })
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@CurrentActor() actor: Actor, @Param('username', UsernameParamPipe) username: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.updateUser.execute(actor, username, body);
  }
}
