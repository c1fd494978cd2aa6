import { Module } from '@nestjs/common';
import { CreateUserUseCase } from './create-user.use-case';
import { ListUsersUseCase } from './list-users.use-case';
import { SeedAccountsUseCase } from './seed-accounts.use-case';
import { UpdateUserUseCase } from './update-user.use-case';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';

@Module({
  controllers: [UsersController],
  providers: [UserRepository, CreateUserUseCase, ListUsersUseCase, UpdateUserUseCase, SeedAccountsUseCase],
  exports: [UserRepository, SeedAccountsUseCase],
})
export class UsersModule {}
