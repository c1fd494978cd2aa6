import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../database/user.entity';
import type { Actor } from './actor';

export const PUBLIC_ROUTE = 'verihub:public';
export const ALLOWED_ROLES = 'verihub:roles';

/** The route needs no token (token issue, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles may call the route (403 for others). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, roles);

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/** The authenticated caller (set by AuthGuard). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
