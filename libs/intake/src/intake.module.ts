import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';
import { DonationsController } from './donations.controller';
import { DonationService } from './donation.service';

@Module({
  imports: [LifecycleModule],
  controllers: [DonationsController],
  providers: [DonationService],
  exports: [DonationService],
})
export class IntakeModule {}
