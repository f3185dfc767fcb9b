import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';
import { CertificateService } from './certificate/certificate.service';
import { ErasureCertificateController, ErasuresController, VerifyController } from './erasure.controller';
import { ErasureImportService } from './import/erasure-import.service';
import { RecheckDrawProcessor } from './recheck/recheck-draw.processor';
import { RecheckService } from './recheck/recheck.service';

/** Erasure evidence: report imports, certificates, independent re-checks. */
@Module({
  imports: [LifecycleModule],
  controllers: [ErasuresController, ErasureCertificateController, VerifyController],
  providers: [ErasureImportService, RecheckService, RecheckDrawProcessor, CertificateService],
  exports: [CertificateService, RecheckService, RecheckDrawProcessor],
})
export class ErasureModule {}
