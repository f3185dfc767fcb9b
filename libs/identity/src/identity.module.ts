import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { RenumConfig } from '@renum/platform';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthController, IdentityController, LoginThrottlerGuard } from './identity.controller';
import { IdentityService } from './identity.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [RenumConfig],
      useFactory: (c: RenumConfig) => ({ secret: c.JWT_SECRET, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
    }),
    // Ten login attempts a minute per address and client: slows password guessing.
    ThrottlerModule.forRoot([{ name: 'login', ttl: 60_000, limit: 10 }]),
  ],
  controllers: [AuthController, IdentityController],
  providers: [AuthService, IdentityService, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, IdentityService],
})
export class IdentityModule {}
