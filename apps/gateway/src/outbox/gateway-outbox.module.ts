import { BeforeApplicationShutdown, Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessagePublisher } from '@verihub/messaging';
import { Topics, packAuditEvents } from '@verihub/contracts';
import { OutboxRelay } from '@verihub/persistence';

/** Starts the relay with the application and stops it before the database pool closes. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** The gateway's outbox relay: publishes what use cases enqueued in their transactions. */
@Global()
@Module({
  providers: [
    {
      provide: OutboxRelay,
      useFactory: (dataSource: DataSource, publisher: MessagePublisher) => new OutboxRelay(dataSource, publisher, {
          pack: (messages) => packAuditEvents(messages, 'gateway'),
          // An officer's check and a revocation go out ahead of a batch's backlog.
          firstTopics: [Topics.verificationRequested, Topics.authorizationRevoked],
        }),
      inject: [DataSource, MessagePublisher],
    },
    OutboxRelayLifecycle,
  ],
  exports: [OutboxRelay],
})
export class GatewayOutboxModule {}
