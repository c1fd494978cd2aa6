import { type DynamicModule, Module } from '@nestjs/common';
import { MessagePublisher, type MessagingConfig } from './message';
import { createMessagePublisher } from './message-publisher.factory';

/** Injection token of the app's MessagingConfig. */
export const MESSAGING_CONFIG = 'VERIHUB_MESSAGING_CONFIG';

/**
 * The app's messaging: a global module providing MessagePublisher for the configured transport (and the
 * config under MESSAGING_CONFIG). The Kafka publisher connects on first publish and disconnects at
 * application shutdown.
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
      ],
      exports: [MessagePublisher, MESSAGING_CONFIG],
    };
  }
}
