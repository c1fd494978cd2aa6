import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, tap } from 'rxjs';
import { MessageContext } from './message-context';

/**
 * NestJS's default RPC exception filter replaces every error that is not an RpcException with
 * "Internal server error" before the transport sees it. This interceptor notes the handler's own error in
 * its MessageContext (and rethrows it unchanged, so the app's exception filters still see it), so the
 * dead-letter reason is the error's real message.
 *
 * MessagingModule.forRoot registers it globally (APP_INTERCEPTOR): that covers NestFactory.createMicroservice
 * and `app.connectMicroservice(options, { inheritAppConfig: true })`. A hybrid app connected without
 * inheritAppConfig can add it with `microservice.useGlobalInterceptors(new MessageFailureInterceptor())`.
 */
@Injectable()
export class MessageFailureInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const messageContext: unknown = context.switchToRpc().getContext();
    if (!(messageContext instanceof MessageContext)) return next.handle();
    return next.handle().pipe(tap({ error: (error: unknown) => messageContext.recordFailure(error) }));
  }
}
