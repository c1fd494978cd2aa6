import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { OutboxRelay } from '@verihub/persistence';
import { DeadlineSweeper } from './deadline-sweeper';

/**
 * The aggregator's work that no message triggers, from application start to shutdown: the outbox relay
 * (which first publishes whatever an earlier run committed but did not publish — after a crash or a
 * SIGKILL) and the deadline sweeper. Shutdown stops the sweeper first, then the relay, before the
 * database closes; the message server has already stopped by then.
 */
@Injectable()
export class BackgroundJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly sweeper: DeadlineSweeper,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
    this.sweeper.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
    await this.relay.stop();
  }
}
