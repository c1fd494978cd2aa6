import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/openapi';
import { VerifyAuditChainUseCase } from '../use-cases/verify-audit-chain.use-case';
import { ChainVerificationView, chainView } from './audit-log.views';

@ApiTags('audit log')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditChainController {
  constructor(private readonly verifyChain: VerifyAuditChainUseCase) {}

  @Get('chain')
  @ApiOperation({
    summary: 'Check the whole hash chain',
    description: 'Every entry must match its hash and point at the entry before; the first broken entry is named (as `verihub audit verify` does).',
  })
  @ApiOkResponse({ type: ChainVerificationView })
  @ApiProblems(401, 403)
  async chain(): Promise<ChainVerificationView> {
    return chainView(await this.verifyChain.execute());
  }
}
