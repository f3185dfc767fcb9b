import { CallHandler, Controller, ExecutionContext, Get, HttpCode, Injectable, NestInterceptor, Param, ParseUUIDPipe, PayloadTooLargeException, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { ApiProblems, binaryContent, ProblemException } from '@renum/platform';
import type { Response } from 'express';
import { catchError, Observable } from 'rxjs';
import { RENUM_TEMPLATE_COLUMNS, renumTemplateCsv } from '../inventory-csv';
import { InventoryImportService, MAX_IMPORT_BYTES, UploadedCsv } from './inventory-import.service';
import { ImportAccepted, InventoryImport } from '../intake.schemas';

const MAX_MB = MAX_IMPORT_BYTES / (1024 * 1024);

/** Outermost around multer: its 413 becomes a French problem document. */
@Injectable()
export class UploadTooLargeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof PayloadTooLargeException) {
          throw new ProblemException(413, 'inventory-file-too-large', 'Fichier trop volumineux', `Le fichier dépasse ${MAX_MB} Mo : découpez l'inventaire en plusieurs fichiers. Rien n'a été importé.`);
        }
        throw error;
      }),
    );
  }
}

const TEMPLATE_DESCRIPTION = [
  "Renum's CSV template for donors without GLPI: UTF-8 with BOM, `;` separator, CRLF, one device per line.",
  'Line 2 is an example commented out by a leading `#` (lines starting with `#` are ignored). Column order is free, titles are case-insensitive.',
  'Values obey the same types and bounds as `POST /donations/{id}/devices` (DeviceInput); a bad cell skips its row with a French error, the other rows are imported.',
  '',
  '| column | required | content |',
  '|---|---|---|',
  '| type | yes | LAPTOP, DESKTOP, TABLET, SMARTPHONE, MONITOR, PRINTER, MFP, OTHER or the French words (Ordinateur portable…); unknown → OTHER with a warning |',
  '| brand | yes | manufacturer, e.g. Dell |',
  '| model | yes | e.g. Latitude 5490 |',
  '| serialNumber | yes | manufacturer serial, unique in the file; BIOS placeholders ("To be filled by O.E.M.", "Default string") are refused |',
  '| inventoryNumber | recommended | the donor\'s inventory number (to remove the asset from the books) |',
  '| acquisitionDate | recommended | DD/MM/YYYY, YYYY-MM-DD or DD/MM/YY (YY → 20YY, or 19YY if 20YY is after this year; one warning per file); `/`, `-` or `.`; a time after the date is ignored; an Excel day number is read with a warning. Not after today; over 10 years → flag REEN_TOO_OLD (recycling, loi REEN) |',
  '| estimatedValueEuros | optional | 120 / 120,00 / 120.00; above 300 € → flag VALUE_ABOVE_DONATION_CAP |',
  '| weightKg | optional | e.g. 1,8 (two decimals, 10 000 kg at most) |',
  '| medium{n}Kind | per medium, n = 1..4 | HDD, SSD, NVME, EMMC, FLASH, OTHER |',
  '| medium{n}Serial | if the medium is listed | serial of the storage medium (erasure records are matched on it); left empty, the device is registered without that medium, with a warning |',
  '| medium{n}Model | optional | e.g. Samsung SSD 860 EVO 250GB |',
  '| medium{n}CapacityGb | optional | whole GB (or TB: `1 To`) |',
  '',
  `Columns, in order: ${RENUM_TEMPLATE_COLUMNS.join(', ')}.`,
].join('\n');

@ApiTags('imports')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class ImportsController {
  constructor(private readonly imports: InventoryImportService) {}

  @Post('donations/:id/import')
  @HttpCode(202)
  @Allow({ kinds: ['DONOR'], roles: WORKING_ROLES })
  @UseInterceptors(UploadTooLargeInterceptor, FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: `CSV file (max ${MAX_MB} MB): a GLPI "Export → CSV" of the computers list (French or English, GLPI 10 or 11) or Renum's template (GET /api/v1/imports/template.csv).`,
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({
    summary: "Import a donor's inventory file into the donation (runs as a job)",
    description:
      'The whole file is checked at once: a file that is not CSV (415), empty, without a recognisable header, without rows, or with a line over ' +
      `10,000 characters (422), or over ${MAX_MB} MB (413) is refused and nothing is written. Otherwise answers 202 {jobId, importId, statusUrl}; ` +
      'GET /api/v1/jobs/{jobId} (or GET /api/v1/imports/{importId}) then gives progress and the result ' +
      '{created, skipped, errors: [{row, field, message}], alreadyRegistered: [{row, serialNumber, code, donationReference, message}], warnings, ignoredColumns, flagged, labels}. ' +
      'Rows with a problem are skipped and listed in errors; rows whose serial this donor already registered are skipped and listed in alreadyRegistered ' +
      '(importing the same file again creates nothing).',
  })
  @ApiAcceptedResponse({ type: ImportAccepted, description: 'Queued: follow statusUrl (GET /api/v1/jobs/{jobId}; its result is an ImportReport) or importUrl' })
  @ApiProblems(
    [400, 'No file in the field « file »'],
    401,
    403,
    [404, 'Not a donation of your organisation'],
    [413, `File over ${MAX_MB} MB (inventory-file-too-large)`],
    [415, 'Not a CSV file (inventory-not-text; `reason`)'],
    [422, 'Unusable file: empty, no recognisable header, no rows, a line too long (`reason`)'],
    [503, 'queue-unavailable: nothing stored, safe to retry'],
  )
  start(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @UploadedFile() file: UploadedCsv | undefined) {
    return this.imports.start(p, id, file);
  }

  // Declared before `imports/:importId` so the path is not read as an id.
  @Get('imports/template.csv')
  @Allow()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "Renum's inventory CSV template", description: TEMPLATE_DESCRIPTION })
  @ApiOkResponse({ description: 'The template (attachment renum-modele-inventaire.csv)', content: binaryContent('text/csv') })
  @ApiProblems(401)
  template(@Res() res: Response) {
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="renum-modele-inventaire.csv"')
      .send(renumTemplateCsv());
  }

  @Get('imports/:importId')
  @Allow({ kinds: ['DONOR'] })
  @ApiOperation({ summary: 'An inventory import of your organisation: status, progress, final report (kept after the job leaves the queue)' })
  @ApiOkResponse({ type: InventoryImport })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('importId', ParseUUIDPipe) importId: string) {
    return this.imports.get(p, importId);
  }
}
