import { Inject, Injectable, Logger } from '@nestjs/common';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { EnforceDeadlinesUseCase } from '../use-cases/enforce-deadlines.use-case';

/**
 * Runs EnforceDeadlinesUseCase every sweepIntervalMs between start() and stop(). Runs never overlap
 * within an instance; every instance runs its own sweeper safely (see the use case).
 */
@Injectable()
export class DeadlineSweeper {
  private readonly logger = new Logger(DeadlineSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly enforceDeadlines: EnforceDeadlinesUseCase,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.enforceDeadlines
        .execute()
        .then(() => undefined)
        .catch((err: Error) => this.logger.error(`deadline sweep failed, will retry: ${err.message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.settings.sweepIntervalMs);
        });
    }, delay);
  }
}
