import { Body, Controller, Delete, ExecutionContext, Get, HttpCode, Injectable, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ProblemException } from '@renum/platform';
import { Allow, CurrentPrincipal, Public, WORKING_ROLES } from './access.decorator';
import { AuthService } from './auth.service';
import { CreateApiKeyDto, CreateOrganizationDto, CreateUserDto, LoginDto } from './identity.dto';
import { IdentityService, present } from './identity.service';
import type { Principal } from './principal';

/** Login attempts are counted per address and per client, so one office cannot lock out another. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
    return `${req.ip}|${email}`;
  }

  // The throttler suffixes its header with the throttler's name ('Retry-After-login'), which no
  // client or proxy knows: send the standard Retry-After (seconds).
  protected override setResponseHeader(res: Record<string, any>, name: string, value: string | number): void {
    super.setResponseHeader(res, name.startsWith('Retry-After') ? 'Retry-After' : name, value);
  }

  // Its own message is English ("ThrottlerException: Too Many Requests"); say when to retry, in French.
  protected override async throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(limit.timeToBlockExpire));
    throw new ProblemException(429, 'too-many-requests', 'Trop de requêtes', `Trop de tentatives de connexion. Réessayez dans ${seconds} secondes.`);
  }
}

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('identity')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({ summary: 'Exchange e-mail and password for a short-lived access token' })
  login(@Body() body: LoginDto) {
    return this.auth.login(body.email, body.password);
  }
}

@ApiTags('identity')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Get('me')
  @Allow()
  me(@CurrentPrincipal() p: Principal) {
    return this.identity.me(p);
  }

  @Post('organizations')
  @Allow({ kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: "Onboard an organisation in the coordinator's territory" })
  createOrganization(@CurrentPrincipal() p: Principal, @Body() body: CreateOrganizationDto) {
    return this.identity.createOrganization(p, body.name, body.kind, body.siret);
  }

  @Get('organizations')
  @Allow()
  @ApiOperation({ summary: "Organisations of the caller's territory" })
  listOrganizations(@CurrentPrincipal() p: Principal) {
    return this.identity.listOrganizations(p);
  }

  @Get('organizations/:id')
  @Allow()
  async organization(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string) {
    return present(await this.identity.visibleOrganization(p, id));
  }

  @Post('organizations/:id/users')
  @Allow({ roles: ['admin'] }, { kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  createUser(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: CreateUserDto) {
    return this.identity.createUser(p, id, body.email, body.password, body.role);
  }

  @Post('organizations/:id/api-keys')
  @Allow({ roles: ['admin'] }, { kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Create an API key; the key is shown once, only its hash is kept' })
  createApiKey(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: CreateApiKeyDto) {
    return this.identity.createApiKey(p, id, body.name);
  }

  @Get('organizations/:id/api-keys')
  @Allow({ roles: ['admin'] }, { kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  listApiKeys(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string) {
    return this.identity.listApiKeys(p, id);
  }

  @Delete('organizations/:id/api-keys/:keyId')
  @Allow({ roles: ['admin'] }, { kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Revoke an API key (it stops authenticating at once)' })
  revokeApiKey(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Param('keyId', uuid) keyId: string) {
    return this.identity.revokeApiKey(p, id, keyId);
  }
}
