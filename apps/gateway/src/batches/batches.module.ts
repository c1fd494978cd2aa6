import { DynamicModule, Module } from '@nestjs/common';
import { BatchProgressQuery } from './batch-progress';
import { BatchResultsQuery } from './batch-results';
import { BatchRunner } from './batch-runner';
import { BatchSettings } from './batch-settings';
import { BatchesController } from './batches.controller';
import { CancelBatchUseCase } from './cancel-batch.use-case';
import { SubmitBatchUseCase } from './submit-batch.use-case';

export interface BatchesOptions {
  settings: BatchSettings;
  /** The verifications module instance whose use case submits each household (the gateway's own). */
  verifications: DynamicModule;
}

/** Caseloads handed over as files (issue 5): upload, progress, results, cancel, and the runner behind them. */
@Module({})
export class BatchesModule {
  static forRoot(options: BatchesOptions): DynamicModule {
    return {
      module: BatchesModule,
      imports: [options.verifications],
      controllers: [BatchesController],
      providers: [
        { provide: BatchSettings, useValue: options.settings },
        SubmitBatchUseCase,
        BatchRunner,
        BatchProgressQuery,
        BatchResultsQuery,
        CancelBatchUseCase,
      ],
    };
  }
}
