import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, PageQuery } from '@renum/platform';
import { LoginThrottlerGuard } from './throttling';
import { AccessRule, Allow, CurrentPrincipal, Public, WORKING_ROLES } from './access.decorator';
import { API_KEY_ROLE_NOTE, AuthService } from './auth.service';
import { CreateApiKeyDto, CreateOrganizationDto, CreateUserDto, LoginDto, TerritorySettingsDto, UserStatusDto } from './identity.dto';
import { IdentityService, present } from './identity.service';
import { AccessToken, ApiKeyList, CreatedApiKey, CreatedUser, Me, Organization, OrganizationList, RevokedApiKey, TerritorySettings, UserList, UserSummary } from './identity.schemas';
import type { Principal } from './principal';

const uuid = new ParseUUIDPipe({ version: undefined });

/**
 * An organisation's accounts and API keys: `IdentityService.manageableOrganization` decides who
 * (its admin, or a coordinator), after visibility: another territory's organisation is 404 for
 * every caller, one of the caller's territory it may not manage is 403. A narrower policy here
 * would answer 403 before looking, for organisations the caller cannot see.
 */
const MANAGES_ACCOUNTS: AccessRule = {};
const NOT_MANAGER: [number, string] = [403, 'The organisation is visible but the caller may not manage its accounts and keys (its admin, or a coordinator, may), or the caller is an API key'];
const INVISIBLE: [number, string] = [404, "Unknown organisation, or another territory's"];

@ApiTags('identity')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({ summary: 'Exchange e-mail and password for a short-lived access token' })
  @ApiOkResponse({ type: AccessToken })
  @ApiProblems(400, [401, 'Wrong credentials (invalid-credentials)'], [429, 'Too many login attempts (Retry-After)'])
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
  @ApiOperation({ summary: 'Who is calling: user (or API key) and organisation' })
  @ApiOkResponse({ type: Me })
  @ApiProblems(401)
  me(@CurrentPrincipal() p: Principal) {
    return this.identity.me(p);
  }

  @Get('territory')
  @Allow()
  @ApiOperation({ summary: "The caller's territory: reservation length and limit, and the beneficiary categories a hand-over may name" })
  @ApiOkResponse({ type: TerritorySettings })
  @ApiProblems(401)
  territory(@CurrentPrincipal() p: Principal) {
    return this.identity.territorySettings(p);
  }

  @Patch('territory')
  @Allow({ kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Change those settings (coordinator); journaled, applied to the next reservations and hand-overs' })
  @ApiOkResponse({ type: TerritorySettings })
  @ApiProblems(400, 401, 403)
  updateTerritory(@CurrentPrincipal() p: Principal, @Body() body: TerritorySettingsDto) {
    return this.identity.updateTerritorySettings(p, body);
  }

  @Post('organizations')
  @Allow({ kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: "Onboard an organisation in the coordinator's territory" })
  @ApiCreatedResponse({ type: Organization })
  @ApiProblems(400, 401, 403, [409, 'An organisation of that name, whatever its case, exists in the territory (organization-exists; `existingName` spells it as registered)'])
  createOrganization(@CurrentPrincipal() p: Principal, @Body() body: CreateOrganizationDto) {
    return this.identity.createOrganization(p, body.name, body.kind, body.siret);
  }

  @Get('organizations')
  @Allow()
  @ApiOperation({ summary: "Organisations of the caller's territory" })
  @ApiOkResponse({ type: OrganizationList })
  @ApiProblems(400, 401)
  listOrganizations(@CurrentPrincipal() p: Principal, @Query() q: PageQuery) {
    return this.identity.listOrganizations(p, q);
  }

  @Get('organizations/:id')
  @Allow()
  @ApiOperation({ summary: "An organisation of the caller's territory" })
  @ApiOkResponse({ type: Organization })
  @ApiProblems(400, 401, 404)
  async organization(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string) {
    return present(await this.identity.visibleOrganization(p, id));
  }

  @Post('organizations/:id/users')
  @Allow(MANAGES_ACCOUNTS)
  @ApiOperation({ summary: 'Add a user to an organisation (its admin, or a coordinator for another organisation)' })
  @ApiCreatedResponse({ type: CreatedUser })
  @ApiProblems(400, 401, NOT_MANAGER, INVISIBLE, [409, 'The e-mail is already used (email-taken)'])
  createUser(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: CreateUserDto) {
    return this.identity.createUser(p, id, body.email, body.password, body.role);
  }

  @Get('organizations/:id/users')
  @Allow(MANAGES_ACCOUNTS)
  @ApiOperation({ summary: "The organisation's accounts (its admin, or a coordinator for another organisation)" })
  @ApiOkResponse({ type: UserList })
  @ApiProblems(400, 401, NOT_MANAGER, INVISIBLE)
  listUsers(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Query() q: PageQuery) {
    return this.identity.listUsers(p, id, q);
  }

  @Patch('organizations/:id/users/:userId')
  @Allow(MANAGES_ACCOUNTS)
  @ApiOperation({ summary: 'Disable an account (it can no longer log in; an open session ends with its token) or enable it again; journaled' })
  @ApiOkResponse({ type: UserSummary })
  @ApiProblems(400, 401, NOT_MANAGER, [404, `${INVISIBLE[1]}, or no such account in it`], [409, 'Your own account (own-account)'])
  setUserStatus(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Param('userId', uuid) userId: string, @Body() body: UserStatusDto) {
    return this.identity.setUserDisabled(p, id, userId, body.disabled);
  }

  @Post('organizations/:id/api-keys')
  @Allow(MANAGES_ACCOUNTS)
  @ApiOperation({ summary: 'Create an API key; the key is shown once, only its hash is kept', description: `Sent as \`X-Api-Key\`. ${API_KEY_ROLE_NOTE}` })
  @ApiCreatedResponse({ type: CreatedApiKey })
  @ApiProblems(400, 401, NOT_MANAGER, INVISIBLE)
  createApiKey(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: CreateApiKeyDto) {
    return this.identity.createApiKey(p, id, body.name);
  }

  @Get('organizations/:id/api-keys')
  @Allow(MANAGES_ACCOUNTS)
  @ApiOperation({ summary: "The organisation's API keys (never the keys themselves)" })
  @ApiOkResponse({ type: ApiKeyList })
  @ApiProblems(400, 401, NOT_MANAGER, INVISIBLE)
  listApiKeys(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Query() q: PageQuery) {
    return this.identity.listApiKeys(p, id, q);
  }

  @Delete('organizations/:id/api-keys/:keyId')
  @Allow(MANAGES_ACCOUNTS)
  @ApiOperation({ summary: 'Revoke an API key (it stops authenticating at once)' })
  @ApiOkResponse({ type: RevokedApiKey })
  @ApiProblems(400, 401, NOT_MANAGER, [404, `${INVISIBLE[1]}, or no such key in it`])
  revokeApiKey(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Param('keyId', uuid) keyId: string) {
    return this.identity.revokeApiKey(p, id, keyId);
  }
}
