import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { Public } from './auth.decorators';
import { IssueTokenUseCase } from './issue-token.use-case';
import { SignInRoute } from './rate-limit.guard';
import { TokenRequestDto, TokenResponseDto } from './token.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly issueToken: IssueTokenUseCase) {}

  @Post('token')
  @Public()
  @SignInRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange username and password for a bearer token',
    description:
      'A wrong password, an unknown username and a deactivated account all answer 401. After VERIHUB_LOGIN_MAX_FAILURES (5) ' +
      'consecutive failures a username is locked for VERIHUB_LOGIN_LOCK_MINUTES (15): 429 `sign-in-locked` with Retry-After, ' +
      'even with the right password. At most VERIHUB_RATE_LIMIT_LOGIN (10) requests per client IP and minute: 429 `rate-limited`.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblems(400, 401, 429)
  token(@Body() body: TokenRequestDto): Promise<TokenResponseDto> {
    return this.issueToken.execute(body);
  }
}
