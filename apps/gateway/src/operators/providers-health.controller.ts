import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { ListProviderHealthUseCase } from './list-provider-health.use-case';
import { ProviderHealthListView } from './provider-health.views';

/** Administrators: every provider's health (the provider registry is theirs, domain.md section 2). */
@ApiTags('providers')
@ApiBearerAuth()
@Controller('api/v1/providers')
export class ProvidersHealthController {
  constructor(private readonly providerHealth: ListProviderHealthUseCase) {}

  @Get('health')
  @Roles('admin')
  @ApiOperation({ summary: 'Health and query counts of the last hour for every provider (admin)' })
  @ApiOkResponse({ type: ProviderHealthListView })
  @ApiProblems(401, 403)
  health(): Promise<ProviderHealthListView> {
    return this.providerHealth.execute();
  }
}
