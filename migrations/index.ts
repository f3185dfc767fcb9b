// Every migration, in order. `npm run migration:generate -- migrations/Name` writes a new file:
// add its class below (a unit test checks none is forgotten).
import { Identity1795425041282 } from './1795425041282-Identity';
import { Lifecycle1795426561645 } from './1795426561645-Lifecycle';
import { AppendOnlyEvents1795426561646 } from './1795426561646-AppendOnlyEvents';
import { Catalog1795430000000 } from './1795430000000-Catalog';
import { ErasureEvidence1795432000000 } from './1795432000000-ErasureEvidence';
import { InventoryImport1795433000000 } from './1795433000000-InventoryImport';
import { IdempotencyRequester1795434000000 } from './1795434000000-IdempotencyRequester';
import { OrganizationNameAnyCase1795435000000 } from './1795435000000-OrganizationNameAnyCase';
import { IdempotencyApiKey1795436000000 } from './1795436000000-IdempotencyApiKey';
import { MediumAbsence1795437000000 } from './1795437000000-MediumAbsence';

export const ALL_MIGRATIONS: Function[] = [Identity1795425041282, Lifecycle1795426561645, AppendOnlyEvents1795426561646, Catalog1795430000000, ErasureEvidence1795432000000, InventoryImport1795433000000, IdempotencyRequester1795434000000, OrganizationNameAnyCase1795435000000, IdempotencyApiKey1795436000000, MediumAbsence1795437000000];
