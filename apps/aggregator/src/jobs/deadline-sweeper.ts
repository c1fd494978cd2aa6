import { Inject, Injectable, Logger } from '@nestjs/common';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { sweeperMayRun } from '../rules/verification-rules';
import { type EnforceDeadlinesResult, EnforceDeadlinesUseCase } from '../use-cases/enforce-deadlines.use-case';
import { type IssueDueReportsResult, IssueDueReportsUseCase } from '../use-cases/issue-due-reports.use-case';
import { CONSUMER_READINESS, type ConsumerReadiness } from './consumer-readiness';

export type SweepResult =
  | { ran: false; waitingFor: 'consumer' | 'catch-up' }
  | { ran: true; deadlines: EnforceDeadlinesResult; dueReports: IssueDueReportsResult };

/**
 * Every sweepIntervalMs between start() and stop(): marks overdue requests `timeout` (EnforceDeadlinesUseCase)
 * and issues the report versions late answers made due (IssueDueReportsUseCase). Runs never overlap within
 * an instance; every instance runs its own sweeper safely (see the use cases).
 *
 * It acts only once this instance's consumer is consuming and has been for sweepStartupGraceMs
 * (sweeperMayRun). A request's deadline is judged against answers this instance has read: an aggregator
 * restarted after a crash gets its partitions back only when the coordinator has dropped its dead
 * predecessor (a Kafka session, 10 s), and the answers that waited meanwhile must be read before anyone is
 * marked `timeout` — otherwise every provider of a check in flight would be reported missing, then reported
 * again one late answer at a time. The price: a provider that really is silent is marked `timeout` up to
 * (time to join + grace) after its deadline when this instance has just started or rebalanced, and not at
 * all while the consumer cannot consume (no broker — when no answer can arrive either). Another instance
 * that is consuming enforces deadlines meanwhile; an answer it has not read yet (its partition belonged to
 * a member that died) is judged by its own answer time, so it is not late, but it arrives after a report —
 * and makes a new version.
 */
@Injectable()
export class DeadlineSweeper {
  private readonly logger = new Logger(DeadlineSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private waitingFor: 'consumer' | 'catch-up' | null = null;

  constructor(
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly enforceDeadlines: EnforceDeadlinesUseCase,
    private readonly issueDueReports: IssueDueReportsUseCase,
    @Inject(CONSUMER_READINESS) private readonly readiness: ConsumerReadiness,
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

  /** One run, as the timer makes it (exposed for tests with a clock of their own). */
  async sweep(now: Date = new Date()): Promise<SweepResult> {
    const since = this.readiness.consumingSince();
    if (!sweeperMayRun(since, now.getTime(), this.settings.sweepStartupGraceMs)) {
      const waitingFor = since === null ? 'consumer' : 'catch-up';
      if (this.waitingFor !== waitingFor) {
        this.logger.log(
          waitingFor === 'consumer'
            ? 'deadlines wait: this instance is not consuming (joining or rejoining its consumer group, or stopping)'
            : `deadlines wait: reading what waited for this instance for ${this.settings.sweepStartupGraceMs} ms first`,
        );
      }
      this.waitingFor = waitingFor;
      return { ran: false, waitingFor };
    }
    if (this.waitingFor !== null) {
      this.logger.log(`enforcing deadlines: consuming since ${new Date(since as number).toISOString()}`);
      this.waitingFor = null;
    }
    const deadlines = await this.enforceDeadlines.execute(now);
    const dueReports = await this.issueDueReports.execute(now);
    return { ran: true, deadlines, dueReports };
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: Error) => this.logger.error(`deadline sweep failed, will retry: ${err.message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.settings.sweepIntervalMs);
        });
    }, delay);
  }
}
