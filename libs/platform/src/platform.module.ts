import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { loadConfig, RenumConfig } from './config';

/** Validated configuration, injectable as `RenumConfig` everywhere. */
@Global()
@Module({})
export class PlatformModule {
  /** Reads the environment when the application is built, not when this file is imported. */
  static forRoot(): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: false, validate: (env) => ({ ...loadConfig(env) }) })],
      providers: [
    {
      provide: RenumConfig,
      inject: [ConfigService],
      useFactory: (settings: ConfigService) => {
        const config = new RenumConfig();
        for (const key of Object.keys(config) as (keyof RenumConfig)[]) {
          const value = settings.get(key);
          if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
        }
        return config;
      },
    },
  ],
      exports: [RenumConfig],
    };
  }
}
