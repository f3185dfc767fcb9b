import { CATALOG_ENTITIES, CatalogModule } from '@renum/catalog';
import { ERASURE_ENTITIES, ErasureModule } from '@renum/erasure';
import { IDENTITY_ENTITIES, IdentityModule } from '@renum/identity';
import { INTAKE_ENTITIES, IntakeModule } from '@renum/intake';
import { OutboxMessage } from '@renum/jobs';
import { LABELS_ENTITIES, LabelsModule } from '@renum/labels';
import { LIFECYCLE_ENTITIES, LifecycleModule } from '@renum/lifecycle';
import { REPORTING_ENTITIES, ReportingModule } from '@renum/reporting';
import { ALL_MIGRATIONS as MIGRATIONS } from '../../../migrations';

/** Every bounded context, listed once: entities for TypeORM, modules for Nest. */
export const ALL_ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...LIFECYCLE_ENTITIES,
  ...INTAKE_ENTITIES,
  ...CATALOG_ENTITIES,
  ...ERASURE_ENTITIES,
  ...LABELS_ENTITIES,
  ...REPORTING_ENTITIES,
  OutboxMessage,
];
export const CONTEXT_MODULES = [IdentityModule, LifecycleModule, IntakeModule, CatalogModule, ErasureModule, LabelsModule, ReportingModule];
export const ALL_MIGRATIONS = MIGRATIONS;
