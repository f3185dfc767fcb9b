import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';
import { BeneficiaryRetentionProcessor } from './beneficiary-retention.processor';
import { BeneficiaryRetentionService } from './beneficiary-retention.service';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { CatalogSettings, loadCatalogSettings } from './catalog-settings';
import { PricingController } from './pricing.controller';
import { PricingService } from './pricing.service';
import { ReservationQueryService } from './reservation-query.service';

/** Catalogue, price caps and grid, reservations list, beneficiary data retention (charities' side). */
@Module({
  imports: [LifecycleModule],
  controllers: [PricingController, CatalogController],
  providers: [
    { provide: CatalogSettings, useFactory: () => loadCatalogSettings() },
    PricingService,
    CatalogService,
    ReservationQueryService,
    BeneficiaryRetentionService,
    BeneficiaryRetentionProcessor,
  ],
  exports: [PricingService, CatalogService, ReservationQueryService, BeneficiaryRetentionService],
})
export class CatalogModule {}
