import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BATCH_STATUSES, type BatchStatus } from './batch.entity';

export class BatchFieldErrorView {
  @ApiProperty({ example: 'members[0].idNumber' })
  field!: string;

  @ApiProperty({ example: 'check_digit: the check character must be X' })
  message!: string;
}

export class BatchLineErrorView {
  @ApiProperty({ description: '1-based line of the file (CSV: the household’s first row)' })
  line!: number;

  @ApiProperty({ type: [BatchFieldErrorView] })
  errors!: BatchFieldErrorView[];
}

export class BatchSubmittedView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status!: BatchStatus;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ description: 'households in the file' })
  total!: number;

  @ApiProperty()
  accepted!: number;

  @ApiProperty()
  rejected!: number;

  @ApiProperty({ type: [BatchLineErrorView], description: 'the first 100 refused lines (all: GET /api/v1/batches/{id}/errors)' })
  errors!: BatchLineErrorView[];

  @ApiProperty()
  errorsTruncated!: boolean;
}

export class BatchCountsView {
  @ApiProperty({ description: 'verified, every provider answered' })
  complete!: number;

  @ApiProperty({ description: 'verified, a provider missed its deadline (report issued with the source marked)' })
  partial!: number;

  @ApiProperty({ description: 'accepted at upload but refused at submission (e.g. a revoked authorization, no policy in force)' })
  failed!: number;

  @ApiProperty({ description: 'submitted, waiting for providers' })
  pending!: number;

  @ApiProperty({ description: 'not yet submitted (back-pressure)' })
  queued!: number;

  @ApiProperty({ description: 'not submitted because the batch was cancelled' })
  cancelled!: number;
}

export class BatchProgressView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status!: BatchStatus;

  @ApiProperty({ nullable: true, type: String })
  fileName!: string | null;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  accepted!: number;

  @ApiProperty()
  rejected!: number;

  @ApiProperty({ description: 'complete + partial + failed' })
  done!: number;

  @ApiProperty({ description: 'queued + pending' })
  remaining!: number;

  @ApiProperty({ type: BatchCountsView })
  counts!: BatchCountsView;

  @ApiProperty({ description: 'households done per second since the batch started' })
  ratePerSecond!: number;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'at the current rate; null when finished or not moving' })
  estimatedFinishAt!: string | null;
}

export class BatchPageView {
  @ApiProperty({ type: [BatchProgressView] })
  items!: BatchProgressView[];
}

export class BatchErrorsView {
  @ApiProperty({ type: [BatchLineErrorView] })
  items!: BatchLineErrorView[];
}
