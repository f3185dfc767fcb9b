import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';
import { DonationsController } from './donations.controller';
import { DonationService } from './donation.service';
import { ImportsController } from './import/imports.controller';
import { InventoryImportProcessor } from './import/inventory-import.processor';
import { InventoryImportService } from './import/inventory-import.service';

@Module({
  imports: [LifecycleModule],
  controllers: [DonationsController, ImportsController],
  providers: [DonationService, InventoryImportService, InventoryImportProcessor],
  exports: [DonationService],
})
export class IntakeModule {}
