import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { CreatePolicyUseCase } from './create-policy.use-case';
import { ListPoliciesUseCase } from './list-policies.use-case';
import { CreatePolicyDto, ListPoliciesQuery, PolicyListView, PolicyView } from './policy.dto';

/** Policies are created and listed; there is deliberately no PUT, PATCH or DELETE (a change is a new version). */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(
    private readonly createPolicy: CreatePolicyUseCase,
    private readonly listPolicies: ListPoliciesUseCase,
  ) {}

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create the next version of a programme policy (admin)' })
  @ApiCreatedResponse({ type: PolicyView })
  @ApiProblems(400, 401, 403)
  create(@CurrentActor() actor: Actor, @Body() body: CreatePolicyDto): Promise<PolicyView> {
    return this.createPolicy.execute(actor, body);
  }

  @Get()
  @Roles('admin', 'officer', 'reviewer')
  @ApiOperation({ summary: 'List policy versions, newest version first within each region and programme' })
  @ApiOkResponse({ type: PolicyListView })
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListPoliciesQuery): Promise<PolicyListView> {
    return this.listPolicies.execute(query);
  }
}
