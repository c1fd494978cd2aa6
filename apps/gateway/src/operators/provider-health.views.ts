import { ApiProperty } from '@nestjs/swagger';

export class ProviderHealthView {
  @ApiProperty({ example: 'tax', description: 'public-security | tax | housing | provident-fund | bank:<CODE>' }) provider!: string;
  @ApiProperty({ description: 'queries it answered (answered or no_record) in the last hour' }) answeredLastHour!: number;
  @ApiProperty({ description: 'queries it answered with an error in the last hour' }) failedLastHour!: number;
  @ApiProperty({ description: 'queries whose deadline passed without its answer in the last hour' }) timedOutLastHour!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'its newest answer within the last 24 hours' })
  lastAnsweredAt!: string | null;
  @ApiProperty({ enum: ['up', 'silent'], description: 'silent: answered nothing in the last hour while queries to it timed out' })
  status!: 'up' | 'silent';
}

export class ProviderHealthListView {
  @ApiProperty({ type: [ProviderHealthView] }) items!: ProviderHealthView[];
}
