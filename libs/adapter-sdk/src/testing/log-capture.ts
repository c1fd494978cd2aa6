import { Logger, type LoggerService } from '@nestjs/common';

/** Captures every NestJS log line of the process (tests: what would an operator's log file hold?). */
export class LogCapture implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.push(message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push(message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push(message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push(message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push(message, rest);
  }

  /** Routes Logger output here until restore(). */
  install(): this {
    Logger.overrideLogger(this);
    return this;
  }

  restore(): void {
    Logger.overrideLogger(new ConsoleLoggerStandIn());
  }

  text(): string {
    return this.lines.join('\n');
  }

  private push(message: unknown, rest: unknown[]): void {
    this.lines.push([message, ...rest].map((part) => (part instanceof Error ? (part.stack ?? part.message) : String(part))).join(' '));
  }
}

/** Quiet fallback after a capture (jest output stays readable). */
class ConsoleLoggerStandIn implements LoggerService {
  log(): void {}
  warn(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    console.error(message, ...rest);
  }
}
