import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from '@renum/identity';
import type { Principal } from '@renum/identity';
import type { Response } from 'express';
import { DonorReportService } from './donor-report.service';

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
  async pdf(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Res() res: Response) {
    const { body, filename } = await this.reports.pdf(p, id);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${filename}"`).send(body);
  }

  @Get(':id/report.csv')
  @Allow()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Donor report as CSV (UTF-8 with BOM, ; separator, CRLF) for LibreOffice and Excel' })
  async csv(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Res() res: Response) {
    const { body, filename } = await this.reports.csv(p, id);
    res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${filename}"`).send(body);
  }
}
