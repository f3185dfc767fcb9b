import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';
import { DonorReportController } from './donor-report.controller';
import { DonorReportService } from './donor-report.service';

/** Donor reports (REEN proof of reuse, sortie d'inventaire) and territory KPIs. */
@Module({ imports: [LifecycleModule], controllers: [DonorReportController], providers: [DonorReportService], exports: [DonorReportService] })
export class ReportingModule {}
