import { Injectable } from '@nestjs/common';
import type { UserListView } from './user.dto';
import { toUserView } from './user.mapper';
import { UserRepository } from './user.repository';

/** Every account, by username, as administrators see it (no hashes). */
@Injectable()
export class ListUsersUseCase {
  constructor(private readonly users: UserRepository) {}

  async execute(): Promise<UserListView> {
    const now = new Date();
    return { items: (await this.users.list()).map((u) => toUserView(u, now)) };
  }
}
