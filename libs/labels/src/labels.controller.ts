import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, WORKING_ROLES } from '@renum/identity';
import type { Principal } from '@renum/identity';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { LabelSource } from './label-source';
import { LabelSheets, sheetFormat } from './label-sheets.service';
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
  @ApiOkResponse({ description: 'The sheet, streamed as an attachment: application/pdf (Avery, Brother templates) or text/plain ZPL (zebra-zpl-50x25)', content: binaryContent('application/pdf', 'text/plain') })
  @ApiExtraModels(SheetJobAccepted)
  @ApiAcceptedResponse({ description: 'More than 200 labels: made by a job, fetched from downloadUrl when ready', content: jsonContent(SheetJobAccepted) })
  @ApiProblems(
    [400, 'Invalid body (both or neither of codes / donationId), or a mistyped code (invalid-code)'],
    401,
    [403, 'Donor, workshop and coordinator agents only'],
    [404, 'A code or the donation is unknown or not visible'],
    [503, 'queue-unavailable (more than 200 labels): nothing queued, safe to retry'],
  )
  @ApiOperation({ summary: 'A sheet of labels for codes or a donation: PDF (Avery A4, Brother tape) or ZPL (Zebra), streamed; > 200 labels: 202 and a job' })
  async sheet(@CurrentPrincipal() p: Principal, @Body() body: SheetRequest, @Res() res: Response) {
    const { selection, count } = await this.sheets.plan(p, body);
    if (!this.sheets.isShort(count)) {
      res.status(202).json(await this.sheets.enqueue(p, selection, body.template));
      return;
    }
    const format = sheetFormat(body.template);
    res.status(200).set({
      'Content-Type': format.contentType,
      'Content-Disposition': `attachment; filename="etiquettes-${body.template}.${format.extension}"`,
      'Cache-Control': 'private, no-store',
    });
    try {
      await this.sheets.write(p, selection, body.template, res);
    } catch (error) {
      // Headers are gone: the only honest signal left is a cut connection.
      res.destroy(error as Error);
    }
  }

  @Get('labels/sheets/:jobId')
  @Allow()
  @ApiProduces('application/pdf', 'text/plain')
  @ApiOperation({ summary: 'Download a sheet made by a job (requester only; 409 not-ready while it runs)' })
  @ApiOkResponse({ description: 'The sheet: application/pdf, or text/plain ZPL', content: binaryContent('application/pdf', 'text/plain') })
  @ApiProblems(401, [404, 'Unknown job, not yours, or its file was swept'], [409, 'Still running (not-ready) or failed (sheet-failed)'], [503, 'queue-unavailable'])
  async download(@CurrentPrincipal() p: Principal, @Param('jobId') jobId: string, @Res() res: Response) {
    const file = await this.sheets.download(p, jobId);
    res.status(200).set({
      'Content-Type': file.format.contentType,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'Cache-Control': 'private, no-store',
    });
    try {
      await pipeline(createReadStream(file.path), res);
    } catch (error) {
      res.destroy(error as Error);
    }
  }
}
