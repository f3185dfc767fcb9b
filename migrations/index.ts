// Every migration, in order. `npm run migration:generate -- migrations/Name` writes a new file:
// add its class below (a unit test checks none is forgotten).
import { Identity1795425041282 } from './1795425041282-Identity';

export const ALL_MIGRATIONS: Function[] = [Identity1795425041282];
