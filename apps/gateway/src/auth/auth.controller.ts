import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { Public } from './auth.decorators';
import { IssueTokenUseCase } from './issue-token.use-case';
import { TokenRequestDto, TokenResponseDto } from './token.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly issueToken: IssueTokenUseCase) {}

  @Post('token')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange username and password for a bearer token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblems(400, 401)
  token(@Body() body: TokenRequestDto): Promise<TokenResponseDto> {
    return this.issueToken.execute(body);
  }
}
