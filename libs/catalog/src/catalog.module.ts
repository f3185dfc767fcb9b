import { Module } from '@nestjs/common';
import { LifecycleModule } from '@renum/lifecycle';

/** Catalogue, price caps, reservations and distribution (charities' side). */
@Module({ imports: [LifecycleModule], controllers: [], providers: [] })
export class CatalogModule {}
