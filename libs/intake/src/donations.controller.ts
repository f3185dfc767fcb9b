import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AccessRule, Allow, AllowAfterLookup, checkAfterLookup, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { CreateDonationDto, DonationListQuery, RegisterDevicesDto } from './donation.dto';
import { DonationService } from './donation.service';
import { Donation, DonationCreated, DonationPage, RegisteredDevices } from './intake.schemas';
import { ApiProblems } from '@renum/platform';

const REGISTERS_DEVICES: AccessRule = { kinds: ['DONOR'], roles: WORKING_ROLES };

@ApiTags('donations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('donations')
export class DonationsController {
  constructor(private readonly donations: DonationService) {}

  @Post()
  @Allow({ kinds: ['DONOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Declare a donation (a lot of devices to be collected)' })
  @ApiCreatedResponse({ type: DonationCreated })
  @ApiProblems(400, 401, 403, [409, 'Your organisation already has a donation with this reference (donation-reference-taken; `existingDonationId` names it, so a retry after a lost answer can carry on)'])
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateDonationDto) {
    return this.donations.create(p, body);
  }

  @Get()
  // As for one donation: a coordinator sees its territory's, a donor its own, a workshop those it
  // collected a device of; anyone else an empty list.
  @Allow()
  @ApiOperation({ summary: 'The donations the caller may see, newest first, with their device counts per status; cursor-paginated' })
  @ApiOkResponse({ type: DonationPage })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() p: Principal, @Query() query: DonationListQuery) {
    return this.donations.list(p, query);
  }

  @Post(':id/devices')
  // Checked after the donation is found: 403 only for one the caller sees (a coordinator, the collecting workshop).
  @AllowAfterLookup(REGISTERS_DEVICES)
  @ApiOperation({ summary: 'Register 1–1000 devices of the donation, all or nothing; each gets its public code' })
  @ApiCreatedResponse({ type: RegisteredDevices })
  @ApiProblems(
    [400, 'Invalid devices, or a serial twice in the request: nothing created (`errors` lists the fields)'],
    401,
    [403, 'The caller sees the donation but is not an agent of its donor'],
    [404, 'Not a donation the caller may see'],
    [409, 'A serial this donor already registered: nothing created (`serials`; `errors` names each device of the request and the donation and code it already has)'],
  )
  async register(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RegisterDevicesDto) {
    await checkAfterLookup(p, [REGISTERS_DEVICES], () => this.donations.get(p, id), 'Seul un agent du donateur enregistre les matériels de son don.');
    return this.donations.registerDevices(p, id, body.devices);
  }

  @Get(':id')
  // Its donor, a coordinator of the territory, a workshop that collected one of its devices; anyone
  // else gets 404 from the service (a donation it cannot see), as for the donor report.
  @Allow()
  @ApiOperation({ summary: 'The donation with its device counts per status' })
  @ApiOkResponse({ type: Donation })
  @ApiProblems(400, 401, [404, 'Unknown donation, or one the caller may not see (only its donor, a coordinator of the territory and a workshop that collected one of its devices see it)'])
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.donations.get(p, id);
  }
}
