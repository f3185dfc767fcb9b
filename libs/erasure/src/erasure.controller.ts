import { ArgumentsHost, Body, Catch, Controller, ExceptionFilter, Get, HttpCode, Param, ParseUUIDPipe, PayloadTooLargeException, Post, Query, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AccessRule, Allow, AllowAfterLookup, checkAfterLookup, CurrentPrincipal, PageThrottledFilter, Public, PublicPageThrottlerGuard, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { ApiProblems, binaryContent, jsonContent, PageQuery, ProblemFilter } from '@renum/platform';
import type { Response } from 'express';
import { CertificateService } from './certificate/certificate.service';
import { verifyNotFoundHtml, verifyPageHtml, verifyTooManyRequestsHtml } from './certificate/verify-page';
import { RecheckDecisionInput, RecheckDrawInput, RecheckListQuery } from './erasure.dto';
import { DEVICE_PARAM } from '@renum/lifecycle';
import { ErasureImportService } from './import/erasure-import.service';
import { MAX_REPORT_BYTES, reportTooLarge } from './import/report-file';
import { RecheckService } from './recheck/recheck.service';
import { CertificatePending, ErasureImportAnswer, IncidentPage, RecheckDecision, RecheckDraw, RecheckPage } from './erasure.schemas';

/** Multer's "file too large" becomes the report's own French 413 problem. */
@Catch()
class ReportUploadFilter implements ExceptionFilter {
  private readonly problems = new ProblemFilter();
  catch(exception: unknown, host: ArgumentsHost) {
    const tooLarge = exception instanceof PayloadTooLargeException || (exception as { code?: string })?.code === 'LIMIT_FILE_SIZE';
    this.problems.catch(tooLarge ? reportTooLarge() : exception, host);
  }
}


const DECIDES_RECHECKS: AccessRule = { kinds: ['WORKSHOP'], roles: WORKING_ROLES };

@ApiTags('erasures')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('erasures')
export class ErasuresController {
  constructor(
    private readonly imports: ErasureImportService,
    private readonly rechecks: RecheckService,
  ) {}

  @Post('import')
  @Allow({ kinds: ['WORKSHOP'], roles: WORKING_ROLES })
  @UseFilters(ReportUploadFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_REPORT_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Import an nwipe/ShredOS log: one erasure per identified disk of a device in your custody (201; 200 when already imported)' })
  @ApiCreatedResponse({ type: ErasureImportAnswer, description: 'Imported: matched disks recorded, the others listed in unmatched' })
  @ApiOkResponse({ type: ErasureImportAnswer, description: 'This report was already imported: the same answer, alreadyImported true, nothing changed' })
  @ApiProblems(
    [400, 'No file, or an empty one (report-missing, empty-report)'],
    401,
    [403, 'Workshop agents only'],
    [413, 'Report too large (report-too-large)'],
    [415, 'Not a text log (binary-report)'],
    [422, 'Not a report Renum can read (unsupported-report)'],
  )
  async import(@CurrentPrincipal() p: Principal, @UploadedFile() file: { buffer: Buffer; originalname: string; size: number } | undefined, @Res({ passthrough: true }) res: Response) {
    const answer = await this.imports.import(p, file);
    res.status(answer.alreadyImported ? 200 : 201);
    return answer.alreadyImported ? { ...answer, message: 'Ce rapport a déjà été importé : rien n’a été modifié.' } : answer;
  }

  @Get('rechecks')
  @Allow({ kinds: ['WORKSHOP', 'COORDINATOR'] })
  @ApiOperation({ summary: 'Independent re-checks: a workshop its own, a coordinator its territory (PENDING by default)' })
  @ApiOkResponse({ type: RecheckPage })
  @ApiProblems(400, 401, [403, 'Workshops and coordinators only'])
  listRechecks(@CurrentPrincipal() p: Principal, @Query() q: RecheckListQuery) {
    return this.rechecks.list(p, q);
  }

  @Post('rechecks/draw')
  @Allow({ kinds: ['WORKSHOP'], roles: ['admin'] })
  @ApiOperation({ summary: 'Draws RECHECK_SHARE of the PASSED logical erasures of the workshop never put to a draw (manual records too)' })
  @ApiCreatedResponse({ type: RecheckDraw })
  @ApiProblems(400, 401, [403, 'Workshop admins only'])
  draw(@CurrentPrincipal() p: Principal, @Body() _body: RecheckDrawInput) {
    return this.rechecks.drawExisting(p.organizationId);
  }

  @Post('rechecks/:id')
  @HttpCode(200)
  // Checked after the re-check is found: 403 only for one the caller sees (a coordinator, the workshop's viewer).
  @AllowAfterLookup(DECIDES_RECHECKS)
  @ApiOperation({ summary: 'Decide a re-check (another technician than the one who erased); FAILED voids the erasure' })
  @ApiOkResponse({ type: RecheckDecision })
  @ApiProblems(400, 401, [403, 'Workshop agents only; another technician than the one who erased (same-technician); not with an API key (technician-required)'], [404, 'Unknown re-check, or one the caller may not see'], [409, 'Already decided (recheck-decided)'])
  async decide(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RecheckDecisionInput) {
    await checkAfterLookup(p, [DECIDES_RECHECKS], () => this.rechecks.assertVisible(p, id), 'Seul un technicien de l’atelier qui a effacé le support tranche sa contre-vérification.');
    return this.rechecks.decide(p, id, body.outcome, body.note);
  }

  @Get('incidents')
  @Allow({ kinds: ['COORDINATOR'] })
  @ApiOperation({ summary: 'Voided erasures on devices that already left custody, with the holder to contact' })
  @ApiOkResponse({ type: IncidentPage })
  @ApiProblems(400, 401, [403, 'Coordinators only'])
  incidents(@CurrentPrincipal() p: Principal, @Query() q: PageQuery) {
    return this.rechecks.incidents(p, q);
  }
}

@ApiTags('erasures')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('devices')
export class ErasureCertificateController {
  constructor(private readonly certificates: CertificateService) {}

  @Get(':device/erasure-certificate.pdf')
  // Whoever sees the device. It states the device's and every disk's serial for those who see
  // serials (SEES_SERIALS); a charity gets the same certificate without them, as `Device` omits them.
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiProduces('application/pdf')
  @ApiOperation({
    summary: 'Erasure certificate (NIST SP 800-88 fields, QR to /verify/{certificateId}); 202 {jobId} while it is generated',
    description:
      'For whoever may see the device. Donors, workshops, coordinators and recyclers get the certificate with the serial numbers of the device and of its media; ' +
      'a charity gets the same certificate (same id, same QR, same facts) with those serial numbers omitted, as `Device` omits them.',
  })
  @ApiOkResponse({ description: 'The certificate (header X-Certificate-Id); for a charity, without serial numbers', content: binaryContent('application/pdf') })
  @ApiExtraModels(CertificatePending)
  @ApiAcceptedResponse({ description: 'Being generated: follow statusUrl, then ask again', content: jsonContent(CertificatePending) })
  @ApiProblems(401, [404, 'Unknown device, or one the caller may not see'], [409, 'The device has not been wiped yet (not-wiped), or a medium lacks a valid erasure since (erasure-not-proven; missingMedia lists their serials, except for a charity)'], [500, 'Generation failed (certificate-failed)'], [503, 'queue-unavailable'])
  async certificate(@CurrentPrincipal() p: Principal, @Param('device') device: string, @Res() res: Response) {
    const answer = await this.certificates.get(p, device);
    if (answer.kind === 'pending') {
      res.status(202).json({ jobId: answer.jobId, statusUrl: answer.statusUrl });
      return;
    }
    res
      .status(200)
      .type('application/pdf')
      .setHeader('Content-Disposition', `inline; filename="certificat-effacement-${answer.code}.pdf"`)
      .setHeader('X-Certificate-Id', answer.certificateId)
      .send(answer.pdf);
  }
}

/** `GET /verify/{certificateId}`: public, outside /api/v1 (the QR of the certificate). */
@ApiTags('public')
@Controller('verify')
export class VerifyController {
  constructor(private readonly certificates: CertificateService) {}

  @Get(':certificateId')
  @Public()
  // So many a minute per address, counted with the device pages (PUBLIC_PAGE_RATE_LIMIT).
  @UseGuards(PublicPageThrottlerGuard)
  @UseFilters(new PageThrottledFilter(verifyTooManyRequestsHtml))
  @ApiOperation({ summary: 'Public page: what an erasure certificate states and whether the device history still verifies' })
  @ApiOkResponse({ description: 'HTML page in French', content: binaryContent('text/html') })
  @ApiResponse({ status: 404, description: 'HTML page in French: unknown certificate', content: binaryContent('text/html') })
  @ApiResponse({ status: 429, description: 'HTML page in French: too many public pages asked from this address in a minute (PUBLIC_PAGE_RATE_LIMIT); Retry-After gives the seconds to wait', content: binaryContent('text/html') })
  async page(@Param('certificateId') id: string, @Res() res: Response) {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
    const view = uuid ? await this.certificates.verification(id.toLowerCase()) : undefined;
    res.setHeader('Cache-Control', 'no-store');
    if (!view) {
      res.status(404).type('text/html; charset=utf-8').send(verifyNotFoundHtml());
      return;
    }
    res.status(200).type('text/html; charset=utf-8').send(verifyPageHtml(view));
  }
}

