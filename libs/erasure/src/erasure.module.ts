import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';

/** Erasure evidence: report imports, certificates, independent re-checks. */
@Module({ imports: [LifecycleModule], controllers: [], providers: [] })
export class ErasureModule {}
