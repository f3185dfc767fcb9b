import { Module } from '@nestjs/common';
import { DeviceAccess } from './device-access';
import { DeviceQueryService } from './device-query.service';
import { DeviceRegistry } from './device-registry.service';
import { DevicesController, ScanController } from './devices.controller';
import { ErasureRecorder } from './erasure-recorder.service';
import { MediumAbsenceService } from './medium-absence.service';
import { ReservationExpirySweep } from './reservation-expiry-sweep';
import { TransitionRequestService } from './transition-request.service';
import { TransitionProcessor } from './transition.processor';
import { TransitionService } from './transition.service';

@Module({
  controllers: [DevicesController, ScanController],
  providers: [DeviceAccess, DeviceQueryService, DeviceRegistry, ErasureRecorder, MediumAbsenceService, TransitionRequestService, TransitionService, TransitionProcessor, ReservationExpirySweep],
  exports: [DeviceAccess, DeviceQueryService, DeviceRegistry, ErasureRecorder, TransitionService, TransitionRequestService],
})
export class LifecycleModule {}
