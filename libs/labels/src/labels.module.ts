import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';

/** QR labels, label sheets, and the public device page. */
@Module({ imports: [LifecycleModule], controllers: [], providers: [] })
export class LabelsModule {}
