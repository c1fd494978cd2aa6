import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { GetAdapterHealthUseCase } from './get-adapter-health.use-case';
import { ProviderHealthView } from './provider-health.views';

/** Department operators: their own adapter only (domain.md section 2). */
@ApiTags('operators')
@ApiBearerAuth()
@Controller('api/v1/operators')
export class OperatorsController {
  constructor(private readonly adapterHealth: GetAdapterHealthUseCase) {}

  @Get('adapter')
  @Roles('operator')
  @ApiOperation({ summary: 'The caller’s provider: health and query counts of the last hour (operator). Never data, never another provider.' })
  @ApiOkResponse({ type: ProviderHealthView })
  @ApiProblems(401, 403)
  adapter(@CurrentActor() actor: Actor): Promise<ProviderHealthView> {
    return this.adapterHealth.execute(actor);
  }
}
