import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@renum/db';
import { IdentityModule } from '@renum/identity';
import { JobsModule } from '@renum/jobs';
import { PlatformModule, RenumConfig } from '@renum/platform';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from '@renum/platform';
import { ALL_ENTITIES, ALL_MIGRATIONS, CONTEXT_MODULES } from './contexts';
import { HealthController } from './health.controller';
import { JobsController } from './jobs.controller';

/**
 * The whole application: every bounded context, their entities and jobs. The api serves its
 * controllers; the worker starts its processors; tests boot both in one process.
 */
@Module({})
export class RenumModule {
  static forRoot(): DynamicModule {
    return {
      module: RenumModule,
      imports: [
        PlatformModule.forRoot(),
        LoggerModule.forRootAsync({ inject: [RenumConfig], useFactory: (c: RenumConfig) => loggerParams(c.LOG_LEVEL) }),
        TypeOrmModule.forRootAsync({
          inject: [RenumConfig],
          useFactory: (c: RenumConfig) => ({
            ...dataSourceOptions(c.DATABASE_URL, ALL_ENTITIES, ALL_MIGRATIONS, c.DATABASE_POOL_SIZE),
            retryAttempts: 2,
            retryDelay: 1000,
          }),
        }),
        JobsModule.forRoot(),
        ...CONTEXT_MODULES,
      ],
      controllers: [HealthController, JobsController],
    };
  }
}
