import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DEVICE_TYPES, GRADES } from '@renum/domain';
import { AccessRule, Allow, AllowAfterLookup, checkAfterLookup, CurrentPrincipal, listAudit, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { DataSource } from 'typeorm';

import { AuditListQuery, parseDeviceType, parseGrade, PutPriceCapDto, PutPriceGridDto } from './catalog.dto';
import { PricingService } from './pricing.service';
import { AuditPage, PriceCapList, PriceCapSet, PriceGrid, PriceGridEntry, PriceSuggestion } from './catalog.schemas';
import { ApiProblems } from '@renum/platform';
import { DEVICE_PARAM, DeviceAccess } from '@renum/lifecycle';

const SUGGESTS_PRICES: AccessRule = { kinds: ['WORKSHOP', 'COORDINATOR'] };

@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class PricingController {
  constructor(
    private readonly pricing: PricingService,
    private readonly db: DataSource,
    private readonly access: DeviceAccess,
  ) {}

  @Get('price-caps')
  @Allow()
  @ApiOperation({ summary: "Solidarity price caps of the caller's territory per device type (cents): the legal cap, or the coordinator's" })
  @ApiOkResponse({ type: PriceCapList })
  @ApiProblems(401)
  async caps(@CurrentPrincipal() p: Principal) {
    return { items: await this.pricing.caps(p) };
  }

  @Put('price-caps/:type')
  @Allow({ kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiParam({ name: 'type', enum: DEVICE_TYPES })
  @ApiOperation({ summary: 'Set the cap of one device type in the territory; journaled as an audit event (price_cap.changed)' })
  @ApiOkResponse({ type: PriceCapSet })
  @ApiProblems(400, 401, [403, 'Coordinators (admin or agent) only'])
  setCap(@CurrentPrincipal() p: Principal, @Param('type') type: string, @Body() body: PutPriceCapDto) {
    return this.pricing.setCap(p, parseDeviceType(type), body.capCents);
  }

  @Get('price-grid')
  @Allow()
  @ApiOperation({ summary: "The coordinator's price grid (suggested price per type and grade)" })
  @ApiOkResponse({ type: PriceGrid })
  @ApiProblems(401)
  grid(@CurrentPrincipal() p: Principal) {
    return this.pricing.grid(p);
  }

  @Put('price-grid/:type/:grade')
  @Allow({ kinds: ['COORDINATOR'], roles: WORKING_ROLES })
  @ApiParam({ name: 'type', enum: DEVICE_TYPES })
  @ApiParam({ name: 'grade', enum: GRADES })
  @ApiOperation({ summary: 'Set the suggested price of a type in a grade (never above the cap in force)' })
  @ApiOkResponse({ type: PriceGridEntry })
  @ApiProblems(400, 401, [403, 'Coordinators (admin or agent) only'], [422, 'Above the cap in force (price-above-cap)'])
  setGrid(@CurrentPrincipal() p: Principal, @Param('type') type: string, @Param('grade') grade: string, @Body() body: PutPriceGridDto) {
    return this.pricing.setGrid(p, parseDeviceType(type), parseGrade(grade), body.priceCents);
  }

  @Get('devices/:device/price-suggestion')
  // Checked after the device is found: 403 only for one the caller sees.
  @AllowAfterLookup(SUGGESTS_PRICES)
  @ApiParam(DEVICE_PARAM)
  @ApiOperation({ summary: 'Price to publish at, from the grid for the device type and grade, clamped to the cap' })
  @ApiOkResponse({ type: PriceSuggestion })
  @ApiProblems(401, [403, 'Workshops and coordinators only'], [404, 'Unknown device, or one the caller may not see'])
  async suggestion(@CurrentPrincipal() p: Principal, @Param('device') device: string) {
    await checkAfterLookup(p, [SUGGESTS_PRICES], () => this.access.resolve(p, device), 'Seuls les ateliers et les coordinateurs consultent le prix suggéré.');
    return this.pricing.suggestion(p, device);
  }

  @Get('audit-events')
  @Allow({ kinds: ['COORDINATOR'] })
  @ApiOperation({ summary: "The territory's audit journal (settings changes), newest first" })
  @ApiOkResponse({ type: AuditPage })
  @ApiProblems(400, 401, [403, 'Coordinators only'])
  audit(@CurrentPrincipal() p: Principal, @Query() q: AuditListQuery) {
    return listAudit(this.db.manager, p, q);
  }
}
