import { IDENTITY_ENTITIES, IdentityModule } from '@renum/identity';
import { OutboxMessage } from '@renum/jobs';
import { ALL_MIGRATIONS as MIGRATIONS } from '../../../migrations';

/** Every bounded context, listed once: entities for TypeORM, modules for Nest. */
export const ALL_ENTITIES = [...IDENTITY_ENTITIES, OutboxMessage];
export const CONTEXT_MODULES = [IdentityModule];
export const ALL_MIGRATIONS = MIGRATIONS;
