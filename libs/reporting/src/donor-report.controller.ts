import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from '@renum/identity';
import type { Principal } from '@renum/identity';
import type { Response } from 'express';
import { DonorReportService } from './donor-report.service';
import { ApiProblems, binaryContent } from '@renum/platform';

@ApiTags('donations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('donations')
export class DonorReportController {
  constructor(private readonly reports: DonorReportService) {}

  // Any user may ask; the service answers 404 unless the caller is the donor or a coordinator of the territory.
  @Get(':id/report.pdf')
  @Allow()
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'Donor report: each device, its erasure proof and fate, the REEN reuse rate and a statement for the sortie d’inventaire' })
  @ApiOkResponse({ description: 'The report (attachment)', content: binaryContent('application/pdf') })
  @ApiProblems(401, [404, 'Unknown donation, or the caller is neither its donor nor a coordinator of the territory'])
  async pdf(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Res() res: Response) {
    const { body, filename } = await this.reports.pdf(p, id);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${filename}"`).send(body);
  }

  @Get(':id/report.csv')
  @Allow()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Donor report as CSV (UTF-8 with BOM, ; separator, CRLF) for LibreOffice and Excel' })
  @ApiOkResponse({ description: 'The report (attachment): one line per device', content: binaryContent('text/csv') })
  @ApiProblems(401, [404, 'Unknown donation, or the caller is neither its donor nor a coordinator of the territory'])
  async csv(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Res() res: Response) {
    const { body, filename } = await this.reports.csv(p, id);
    res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${filename}"`).send(body);
  }
}
