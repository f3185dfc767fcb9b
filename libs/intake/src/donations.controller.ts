import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { CreateDonationDto, RegisterDevicesDto } from './donation.dto';
import { DonationService } from './donation.service';
import { Donation, DonationCreated, RegisteredDevices } from './intake.schemas';
import { ApiProblems } from '@renum/platform';

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

  @Post(':id/devices')
  @Allow({ kinds: ['DONOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Register 1–1000 devices of the donation, all or nothing; each gets its public code' })
  @ApiCreatedResponse({ type: RegisteredDevices })
  @ApiProblems([400, 'Invalid devices, or a serial twice in the request: nothing created (`errors` lists the fields)'], 401, 403, [404, 'Not a donation of your organisation'], [409, 'A serial this donor already registered: nothing created (`serials`; `errors` names each device of the request and the donation and code it already has)'])
  register(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RegisterDevicesDto) {
    return this.donations.registerDevices(p, id, body.devices);
  }

  @Get(':id')
  @Allow({ kinds: ['DONOR', 'COORDINATOR', 'WORKSHOP'] })
  @ApiOperation({ summary: 'The donation with its device counts per status' })
  @ApiOkResponse({ type: Donation })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.donations.get(p, id);
  }
}
