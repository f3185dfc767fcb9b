import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';

/** Donor reports (REEN proof of reuse, sortie d'inventaire) and territory KPIs. */
@Module({ imports: [LifecycleModule], controllers: [], providers: [] })
export class ReportingModule {}
