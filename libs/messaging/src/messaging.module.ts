import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MessagePublisher, type MessagingConfig } from './message';
import { MessageFailureInterceptor } from './message-failure.interceptor';
import { createMessagePublisher } from './message-publisher.factory';

/** Injection token of the app's MessagingConfig. */
export const MESSAGING_CONFIG = 'VERIHUB_MESSAGING_CONFIG';

/**
 * The app's messaging: a global module providing MessagePublisher for the configured transport (and the
 * config under MESSAGING_CONFIG). The Kafka publisher connects on first publish and disconnects at
 * application shutdown. It also registers MessageFailureInterceptor, so dead letters carry handlers' real
 * error messages.
 */
@Module({})
export class MessagingModule {
  static forRoot(config: MessagingConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_CONFIG, useValue: config },
        { provide: MessagePublisher, useFactory: () => createMessagePublisher(config) },
        { provide: APP_INTERCEPTOR, useClass: MessageFailureInterceptor },
      ],
      exports: [MessagePublisher, MESSAGING_CONFIG],
    };
  }
}
