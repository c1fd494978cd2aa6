import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { IssueTokenUseCase } from './issue-token.use-case';
import { TokenService } from './token.service';

export interface AuthOptions {
  jwtSecret: string;
  tokenLifetimeSeconds: number;
}

/** Bearer tokens, and the guard every HTTP route passes (APP_GUARD). */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        UsersModule,
        JwtModule.register({
          secret: options.jwtSecret,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      controllers: [AuthController],
      providers: [
        { provide: TokenService, useFactory: (jwt: JwtService) => new TokenService(jwt, options.tokenLifetimeSeconds), inject: [JwtService] },
        IssueTokenUseCase,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
