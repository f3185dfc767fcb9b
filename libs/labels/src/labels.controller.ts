import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { LabelSource } from './label-source';
import { LabelSheets, SheetFormat, sheetFormat } from './label-sheets.service';
import { labelPng, labelSvg } from './render';
import { SheetJobAccepted, SheetRequest } from './sheet.dto';
import { ApiProblems, binaryContent, jsonContent } from '@renum/platform';
import { DEVICE_PARAM } from '@renum/lifecycle';

// A label shows the custodian's name, which changes with custody: cache briefly, privately.
const LABEL_CACHE = 'private, max-age=300';

@ApiTags('labels')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class LabelsController {
  constructor(
    private readonly source: LabelSource,
    private readonly sheets: LabelSheets,
  ) {}

  @Get('devices/:device/label.svg')
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'QR label (50 × 25 mm, SVG): QR of the public page URL, code in clear, type and custodian' })
  @ApiOkResponse({ description: 'SVG label', content: binaryContent('image/svg+xml') })
  @ApiProblems(401, 404)
  async svg(@CurrentPrincipal() p: Principal, @Param('device') device: string, @Res() res: Response) {
    const svg = await labelSvg(await this.source.single(p, device));
    res.status(200).set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': LABEL_CACHE }).send(svg);
  }

  @Get('devices/:device/label.png')
  @Allow()
  @ApiParam(DEVICE_PARAM)
  @ApiProduces('image/png')
  @ApiOperation({ summary: 'QR label (50 × 25 mm, PNG at 300 dpi, 1 bit per pixel)' })
  @ApiOkResponse({ description: 'PNG label', content: binaryContent('image/png') })
  @ApiProblems(401, 404)
  async png(@CurrentPrincipal() p: Principal, @Param('device') device: string, @Res() res: Response) {
    const png = await labelPng(await this.source.single(p, device));
    res.status(200).set({ 'Content-Type': 'image/png', 'Cache-Control': LABEL_CACHE }).send(png);
  }

  @Post('labels/sheets')
  @Allow({ kinds: ['DONOR', 'WORKSHOP', 'COORDINATOR'], roles: WORKING_ROLES })
  @ApiProduces('application/pdf', 'text/plain')
  @ApiOkResponse({
    description:
      'The sheet, as an attachment: application/pdf (Avery, Brother templates) or text/plain ZPL (zebra-zpl-50x25). Up to 200 labels it is streamed as it is drawn; a longer sheet is made by a job, waited for up to LABEL_SHEET_WAIT_MS (15 s by default, enough for 1,000 labels), then sent from its file, with Content-Location naming where it can be downloaded again for a day.',
    content: binaryContent('application/pdf', 'text/plain'),
  })
  @ApiExtraModels(SheetJobAccepted)
  @ApiAcceptedResponse({ description: 'More than 200 labels and the job did not finish within the wait: follow statusUrl, fetch the sheet from downloadUrl when ready', content: jsonContent(SheetJobAccepted) })
  @ApiProblems(
    [400, 'Invalid body (both or neither of codes / donationId), or a mistyped code (invalid-code)'],
    401,
    [403, 'Donor, workshop and coordinator agents only'],
    [404, 'A code or the donation is unknown or not visible'],
    [409, 'sheet-failed (more than 200 labels): the job failed, as its download would say; send the request again'],
    [422, 'donation-without-devices: the donation has no device yet'],
    [503, 'queue-unavailable (more than 200 labels): nothing queued, safe to retry'],
  )
  @ApiOperation({ summary: 'A sheet of labels for codes or a donation: PDF (Avery A4, Brother tape) or ZPL (Zebra); > 200 labels: made by a job, answered when done within the wait, else 202' })
  async sheet(@CurrentPrincipal() p: Principal, @Body() body: SheetRequest, @Res() res: Response) {
    const { selection, count } = await this.sheets.plan(p, body);
    const format = sheetFormat(body.template);
    const filename = `etiquettes-${body.template}.${format.extension}`;
    if (this.sheets.isShort(count)) {
      attachment(res, format, filename);
      try {
        await this.sheets.write(p, selection, body.template, res);
      } catch (error) {
        // Headers are gone: the only honest signal left is a cut connection.
        res.destroy(error as Error);
      }
      return;
    }
    const made = await this.sheets.make(p, selection, body.template);
    if (made.kind === 'pending') {
      res.status(202).json(made.accepted);
      return;
    }
    attachment(res, format, filename).set('Content-Location', made.accepted.downloadUrl);
    await send(made.file.createReadStream(), res);
  }

  @Get('labels/sheets/:jobId')
  @Allow()
  @ApiProduces('application/pdf', 'text/plain')
  @ApiOperation({ summary: 'Download a sheet made by a job (requester only; 409 not-ready while it runs)' })
  @ApiOkResponse({ description: 'The sheet: application/pdf, or text/plain ZPL', content: binaryContent('application/pdf', 'text/plain') })
  @ApiProblems(401, [404, 'Unknown job, not yours, or its file was swept'], [409, 'Still running (not-ready) or failed (sheet-failed)'], [503, 'queue-unavailable'])
  async download(@CurrentPrincipal() p: Principal, @Param('jobId') jobId: string, @Res() res: Response) {
    const file = await this.sheets.download(p, jobId);
    attachment(res, file.format, file.filename);
    await send(createReadStream(file.path), res);
  }
}

/** 200 and the headers of every sheet answer: its type, an attachment, never cached. */
function attachment(res: Response, format: SheetFormat, filename: string): Response {
  return res.status(200).set({
    'Content-Type': format.contentType,
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'private, no-store',
  });
}

/** Streams a sheet's file; a read error once headers are gone can only cut the connection. */
async function send(file: NodeJS.ReadableStream, res: Response): Promise<void> {
  try {
    await pipeline(file, res);
  } catch (error) {
    res.destroy(error as Error);
  }
}
