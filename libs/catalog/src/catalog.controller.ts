import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { CatalogQuery, ReservationListQuery } from './catalog.dto';
import { CatalogService } from './catalog.service';
import { CatalogPage, ReservationPage } from './catalog.schemas';
import { ReservationQueryService } from './reservation-query.service';
import { ApiProblems } from '@renum/platform';

@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly reservations: ReservationQueryService,
  ) {}

  @Get('catalog')
  @Allow({ kinds: ['CHARITY'] })
  @ApiOperation({ summary: "AVAILABLE devices of the charity's territory, by type then price; no serial numbers" })
  @ApiOkResponse({ type: CatalogPage })
  @ApiProblems(400, 401, [403, 'Charities only'])
  list(@CurrentPrincipal() p: Principal, @Query() q: CatalogQuery) {
    return this.catalog.list(p, q);
  }

  @Get('reservations')
  @Allow({ kinds: ['CHARITY'] }, { kinds: ['COORDINATOR'] })
  @ApiOperation({ summary: "Reservations: a charity's own, or the coordinator's territory; newest first" })
  @ApiOkResponse({ type: ReservationPage })
  @ApiProblems(400, 401, [403, 'Charities (their own) and coordinators only'])
  reservationsList(@CurrentPrincipal() p: Principal, @Query() q: ReservationListQuery) {
    return this.reservations.list(p, q);
  }
}
