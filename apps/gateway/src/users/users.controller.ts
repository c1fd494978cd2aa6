import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/actor';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { CreateUserDto, UserView } from './user.dto';
import { CreateUserUseCase } from './create-user.use-case';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly createUser: CreateUserUseCase) {}

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create an account (admin). The password is never returned.' })
  @ApiCreatedResponse({ type: UserView })
  @ApiProblems(400, 401, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserView> {
    return this.createUser.execute(actor, body);
  }
}
