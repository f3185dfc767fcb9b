import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { CreateDonationDto, RegisterDevicesDto } from './donation.dto';
import { DonationService } from './donation.service';

@ApiTags('donations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('donations')
export class DonationsController {
  constructor(private readonly donations: DonationService) {}

  @Post()
  @Allow({ kinds: ['DONOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Declare a donation (a lot of devices to be collected)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateDonationDto) {
    return this.donations.create(p, body);
  }

  @Post(':id/devices')
  @Allow({ kinds: ['DONOR'], roles: WORKING_ROLES })
  @ApiOperation({ summary: 'Register 1–1000 devices of the donation, all or nothing; each gets its public code' })
  register(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RegisterDevicesDto) {
    return this.donations.registerDevices(p, id, body.devices);
  }

  @Get(':id')
  @Allow({ kinds: ['DONOR', 'COORDINATOR', 'WORKSHOP'] })
  @ApiOperation({ summary: 'The donation with its device counts per status' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.donations.get(p, id);
  }
}
