import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { DECLARES_MEDIUM_ABSENT, MEDIUM_ABSENCE_FORBIDDEN } from '@renum/domain';
import { AccessRule, Allow, AllowAfterLookup, checkAfterLookup, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import type { Response } from 'express';
import { DeviceListQuery, DeviceQueryService } from './device-query.service';
import { ErasureInput } from './erasure.dto';
import { ErasureRecorder } from './erasure-recorder.service';
import { HistoryPageQuery } from './history-page';
import { ChainVerification, Device, DevicePage, ErasureRecorded, ErasureRecordList, EventList, JobAccepted, MediumAbsenceDeclared, ScanResult, TransitionApplied } from './lifecycle.schemas';
import { MediumAbsenceInput } from './medium-absence.dto';
import { MediumAbsenceService } from './medium-absence.service';
import { TRANSITION_BODIES } from './transition.dto';
import { TransitionRequestService } from './transition-request.service';
import { ApiProblems } from '@renum/platform';
import { DEVICE_PARAM, DeviceAccess } from './device-access';

const RECORDS_ERASURES: AccessRule = { kinds: ['WORKSHOP'], roles: WORKING_ROLES };
const DECLARES_ABSENCE: AccessRule[] = DECLARES_MEDIUM_ABSENT.map((r) => ({ kinds: [r.kind], roles: [...r.roles] }));

const bodies = [...new Set(Object.values(TRANSITION_BODIES))];

@ApiTags('devices')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('devices')
export class DevicesController {
  constructor(
    private readonly devices: DeviceQueryService,
    private readonly erasures: ErasureRecorder,
    private readonly transitions: TransitionRequestService,
    private readonly access: DeviceAccess,
    private readonly absences: MediumAbsenceService,
  ) {}

  @Get()
  @Allow()
  @ApiOperation({ summary: 'Devices the caller may see, filtered, cursor-paginated' })
  @ApiOkResponse({ type: DevicePage })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() p: Principal, @Query() query: DeviceListQuery) {
    return this.devices.list(p, query);
  }

  @Get(':device')
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiOperation({ summary: 'One device, as the caller may see it (fields it may not see are omitted)' })
  @ApiOkResponse({ type: Device })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() p: Principal, @Param('device') device: string) {
    return this.devices.get(p, device);
  }

  @Get(':device/events')
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiOperation({ summary: 'The device history, oldest first, each event chained to the previous by hash; cursor-paginated (200 a page by default)' })
  @ApiOkResponse({ type: EventList })
  @ApiProblems(400, 401, 404)
  events(@CurrentPrincipal() p: Principal, @Param('device') device: string, @Query() query: HistoryPageQuery) {
    return this.devices.events(p, device, query);
  }

  @Get(':device/events/verify')
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiOperation({ summary: 'Recomputes the hash chain: valid, or the sequence number where it breaks' })
  @ApiOkResponse({ type: ChainVerification })
  @ApiProblems(401, 404)
  verify(@CurrentPrincipal() p: Principal, @Param('device') device: string) {
    return this.devices.verify(p, device);
  }

  @Post(':device/erasures')
  // Checked after the device is found, as for a transition: 403 only for one the caller sees.
  @AllowAfterLookup(RECORDS_ERASURES)
  @ApiParam(DEVICE_PARAM)
  @ApiOperation({ summary: 'Record the erasure (or destruction) of one medium; an unknown medium serial adds that medium' })
  @ApiCreatedResponse({ type: ErasureRecorded })
  @ApiProblems(400, 401, [403, 'Not a workshop agent, or the device is not in its custody (not-custodian)'], [404, 'Unknown device, or one the caller may not see'])
  async recordErasure(@CurrentPrincipal() p: Principal, @Param('device') device: string, @Body() body: ErasureInput) {
    await checkAfterLookup(p, [RECORDS_ERASURES], () => this.access.resolve(p, device), "Seul un atelier (technicien ou administrateur) enregistre l'effacement d'un support.");
    const { startedAt, endedAt, ...rest } = body;
    return this.erasures.recordByHand(p, device, { ...rest, startedAt: new Date(startedAt), endedAt: new Date(endedAt), source: 'MANUAL' });
  }

  @Get(':device/erasures')
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiOperation({ summary: 'Erasure records of the device, oldest first (by end); cursor-paginated (200 a page by default)' })
  @ApiOkResponse({ type: ErasureRecordList })
  @ApiProblems(400, 401, 404)
  listErasures(@CurrentPrincipal() p: Principal, @Param('device') device: string, @Query() query: HistoryPageQuery) {
    return this.erasures.list(p, device, query);
  }

  @Post(':device/media/:mediumId/absence')
  // Checked after the device is found, as erasure entry: 403 only for one the caller sees.
  @AllowAfterLookup(...DECLARES_ABSENCE)
  @HttpCode(200)
  @ApiParam(DEVICE_PARAM)
  @ApiParam({ name: 'mediumId', format: 'uuid', description: 'The medium, as `Device.media[].id` names it' })
  @ApiOperation({
    summary: 'Declare a medium the donor declared absent from the device, with a written reason: it no longer needs an erasure before the wipe',
    description:
      'For a disk the donor listed that is not in the device (a typo, the wrong line, removed before the donation), which could never be erased. ' +
      'Only while the device is COLLECTED, by the workshop holding it (technician or admin; not a coordinator, who has not opened the device); never for a medium discovered by an erasure record or a report, ' +
      'nor one with any erasure record (even failed, even from an earlier custody). The medium stays listed with `absent: true`; an event `medium_declared_absent` ' +
      'names it and the reason. Sending the same declaration again answers the same, with `duplicate: true`, and appends nothing. ' +
      'A later erasure record of that medium makes it count again.',
  })
  @ApiOkResponse({ type: MediumAbsenceDeclared })
  @ApiProblems(
    [400, 'Missing or empty reason, or a mediumId that is not a UUID (validation-error)'],
    401,
    [403, 'Not a workshop technician or admin (forbidden), or a workshop that does not hold the device (not-custodian)'],
    [404, 'Unknown device or medium, or a device the caller may not see'],
    [409, 'The device is not COLLECTED (not-collected), or the medium is already declared absent for another reason (medium-already-absent)'],
    [422, 'The medium was seen: discovered by an erasure record or a report, or erased (or attempted), even in an earlier custody (medium-seen)'],
  )
  async declareAbsent(
    @CurrentPrincipal() p: Principal,
    @Param('device') device: string,
    @Param('mediumId', new ParseUUIDPipe()) mediumId: string,
    @Body() body: MediumAbsenceInput,
  ) {
    await checkAfterLookup(p, DECLARES_ABSENCE, () => this.access.resolve(p, device), MEDIUM_ABSENCE_FORBIDDEN);
    return this.absences.declare(p, device, mediumId, body.reason);
  }

  @Post(':device/transitions')
  // Per the lifecycle table (viewers never): the request service checks it after finding the
  // device, so a device the caller cannot see is 404 whoever asks, and 403 only for one it sees.
  @AllowAfterLookup({ roles: WORKING_ROLES })
  @HttpCode(200)
  @ApiParam(DEVICE_PARAM)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per attempt; resend the same key when retrying' })
  @ApiExtraModels(...bodies)
  @ApiBody({ schema: { oneOf: bodies.map((b) => ({ $ref: getSchemaPath(b) })) } })
  @ApiOperation({ summary: 'Apply a lifecycle action (runs as a BullMQ job, exactly once per Idempotency-Key)' })
  @ApiOkResponse({ type: TransitionApplied, description: 'Applied (or the same answer again for a repeated Idempotency-Key)' })
  @ApiAcceptedResponse({ type: JobAccepted, description: 'Not finished within the wait: follow statusUrl (GET /api/v1/jobs/{jobId})' })
  @ApiProblems(
    [400, 'Invalid payload (validation-error), or missing Idempotency-Key (idempotency-key-required)'],
    401,
    [403, 'Action not allowed for this caller (forbidden-action), or override by a non-coordinator'],
    [404, 'Unknown or invisible device'],
    [409, 'illegal-transition (action not allowed from the current status) or reserved-by-another'],
    [422, 'erasure-missing (data invariant; `missingMedia` lists the media), price-above-cap, or idempotency-key-reused'],
    [500, 'transition-failed: the job failed after its retries, nothing applied'],
    [503, 'queue-unavailable: nothing applied, safe to retry with the same Idempotency-Key'],
  )
  async transition(
    @CurrentPrincipal() p: Principal,
    @Param('device') device: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.transitions.request(p, device, key, body);
    res.status(outcome.statusCode);
    if (outcome.statusCode >= 400) res.type('application/problem+json');
    return outcome.body;
  }
}

@ApiTags('devices')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('scan')
export class ScanController {
  constructor(private readonly devices: DeviceQueryService) {}

  @Get(':code')
  @Allow()
  @ApiOperation({ summary: 'Resolve a scanned code (any case, dashes optional, scanner prefixes, pasted /d/ URL) and the actions possible now' })
  @ApiOkResponse({ type: ScanResult })
  @ApiProblems(401, 404)
  scan(@CurrentPrincipal() p: Principal, @Param('code') code: string) {
    return this.devices.scan(p, code);
  }
}
