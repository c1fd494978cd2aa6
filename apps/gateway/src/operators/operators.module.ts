import { DynamicModule, Module } from '@nestjs/common';
import { GetAdapterHealthUseCase } from './get-adapter-health.use-case';
import { ListProviderHealthUseCase } from './list-provider-health.use-case';
import { OperatorsController } from './operators.controller';
import { ProviderHealthRepository } from './provider-health.repository';
import { ProvidersHealthController } from './providers-health.controller';

/** Providers' health and counts: operators see their own, administrators all (no data, ever). */
@Module({})
export class OperatorsModule {
  static forRoot(options: { bankCodes: readonly string[] }): DynamicModule {
    return {
      module: OperatorsModule,
      controllers: [OperatorsController, ProvidersHealthController],
      providers: [
        ProviderHealthRepository,
        GetAdapterHealthUseCase,
        {
          provide: ListProviderHealthUseCase,
          useFactory: (health: ProviderHealthRepository) => new ListProviderHealthUseCase(health, options.bankCodes),
          inject: [ProviderHealthRepository],
        },
      ],
    };
  }
}
