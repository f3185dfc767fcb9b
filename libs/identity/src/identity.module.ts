import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisConnections } from '@renum/jobs';
import { RenumConfig } from '@renum/platform';
import { createSecretKey } from 'node:crypto';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthController, IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { SharedThrottleStorage } from './throttle-storage';
import { LOGIN_THROTTLER, LoginThrottlerGuard, PUBLIC_PAGE_THROTTLER } from './throttling';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [RenumConfig],
      useFactory: (c: RenumConfig) => {
        // A ready KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every request, which cost 13% of the API's CPU in bench:transitions.
        const key = createSecretKey(Buffer.from(c.JWT_SECRET, 'utf8'));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } };
      },
    }),
    // Counted across api instances. Ten login attempts a minute per address and client: slows
    // password guessing. PUBLIC_PAGE_RATE_LIMIT public page views a minute per address: keeps
    // codes from being enumerated. Each guard applies its own throttler only (throttling.ts).
    ThrottlerModule.forRootAsync({
      inject: [RedisConnections, RenumConfig],
      useFactory: (redis: RedisConnections, c: RenumConfig) => ({
        throttlers: [
          { name: LOGIN_THROTTLER, ttl: 60_000, limit: 10 },
          { name: PUBLIC_PAGE_THROTTLER, ttl: 60_000, limit: c.PUBLIC_PAGE_RATE_LIMIT },
        ],
        storage: new SharedThrottleStorage(redis.producer(), c.BULL_PREFIX),
      }),
    }),
  ],
  controllers: [AuthController, IdentityController],
  providers: [AuthService, IdentityService, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, IdentityService],
})
export class IdentityModule {}
