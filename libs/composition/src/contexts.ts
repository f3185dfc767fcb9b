import { IDENTITY_ENTITIES, IdentityModule } from '@renum/identity';
import { IntakeModule } from '@renum/intake';
import { OutboxMessage } from '@renum/jobs';
import { LIFECYCLE_ENTITIES, LifecycleModule } from '@renum/lifecycle';
import { ALL_MIGRATIONS as MIGRATIONS } from '../../../migrations';

/** Every bounded context, listed once: entities for TypeORM, modules for Nest. */
export const ALL_ENTITIES = [...IDENTITY_ENTITIES, ...LIFECYCLE_ENTITIES, OutboxMessage];
export const CONTEXT_MODULES = [IdentityModule, LifecycleModule, IntakeModule];
export const ALL_MIGRATIONS = MIGRATIONS;
