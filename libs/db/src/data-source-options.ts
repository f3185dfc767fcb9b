import { types } from 'pg';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy';

/**
 * A DATE (acquisition date, planned pickup) is a calendar day: read it as its 'YYYY-MM-DD' text.
 * pg's default makes it a Date at local midnight, which toISOString() shifts to the day before
 * east of UTC (TZ=Europe/Paris). Set on the `pg` module every connection uses, once, on load.
 */
export const PG_DATE_OID = types.builtins.DATE;
export const readPgDate = (text: string): string => text;
types.setTypeParser(PG_DATE_OID, readPgDate);

type ClassList = MixedList<Function | string>;

/** The one place TypeORM is configured: schema only from migrations, never synchronize. */
export function dataSourceOptions(databaseUrl: string, entities: ClassList, migrations: ClassList, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, application_name: 'renum' },
  };
}

/** PostgreSQL error codes we react to. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_DEADLOCK = '40P01';

export function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}

export function pgConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: string; driverError?: { constraint?: string } };
  return e?.driverError?.constraint ?? e?.constraint;
}
