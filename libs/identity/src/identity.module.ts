import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisConnections } from '@renum/jobs';
import { RenumConfig } from '@renum/platform';
import { createSecretKey } from 'node:crypto';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthController, IdentityController, LoginThrottlerGuard } from './identity.controller';
import { IdentityService } from './identity.service';
import { LoginThrottleStorage } from './login-throttle-storage';

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
    // Ten login attempts a minute per address and client, across api instances: slows password guessing.
    ThrottlerModule.forRootAsync({
      inject: [RedisConnections, RenumConfig],
      useFactory: (redis: RedisConnections, c: RenumConfig) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: 10 }],
        storage: new LoginThrottleStorage(redis.producer(), c.BULL_PREFIX),
      }),
    }),
  ],
  controllers: [AuthController, IdentityController],
  providers: [AuthService, IdentityService, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, IdentityService],
})
export class IdentityModule {}
