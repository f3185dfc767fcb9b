import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';
import { LabelSheetProcessor } from './label-sheet.processor';
import { LabelSheets } from './label-sheets.service';
import { LabelSource } from './label-source';
import { LabelsController } from './labels.controller';
import { PublicDevicePage, PublicPageController } from './public-page.controller';

/** QR labels, label sheets, and the public device page. */
@Module({
  imports: [LifecycleModule],
  controllers: [LabelsController, PublicPageController],
  providers: [LabelSource, LabelSheets, LabelSheetProcessor, PublicDevicePage],
})
export class LabelsModule {}
