import { Module } from '@nestjs/common';
import { CreateUserUseCase } from './create-user.use-case';
import { SeedAccountsUseCase } from './seed-accounts.use-case';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';

@Module({
  controllers: [UsersController],
  providers: [UserRepository, CreateUserUseCase, SeedAccountsUseCase],
  exports: [UserRepository, SeedAccountsUseCase],
})
export class UsersModule {}
