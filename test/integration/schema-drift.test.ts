/**
 * Schema drift check: the migrated schema must be exactly what the entities describe. It asks
 * TypeORM's schema builder the same question `npm run migration:generate` asks; any SQL it
 * would run means an entity changed without a migration (or a migration without its entity).
 */
import 'reflect-metadata';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '@renum/composition';
import { dataSourceOptions } from '@renum/db';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { cloneTemplate, dropDatabase } from '../support/database';

/** A throwaway entity with no migration: the check must notice it. */
@Entity('drift_probe')
class DriftProbe {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  label: string;
}

type Entities = (typeof ALL_ENTITIES)[number] | typeof DriftProbe;

let counter = 0;
const opened: { ds: DataSource; name: string }[] = [];

/** A DataSource on a fresh clone of the migrated template, with the given entities. */
async function open(entities: Entities[]): Promise<DataSource> {
  const name = `renum_drift_${process.env.JEST_WORKER_ID ?? 0}_${process.pid}_${++counter}`;
  const url = await cloneTemplate(name);
  const ds = await new DataSource(dataSourceOptions(url, entities, ALL_MIGRATIONS, 2)).initialize();
  opened.push({ ds, name });
  return ds;
}

/** The SQL TypeORM would run to bring the database in line with the entities. */
async function pendingSql(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

afterAll(async () => {
  for (const { ds, name } of opened) {
    if (ds.isInitialized) await ds.destroy();
    await dropDatabase(name);
  }
});

describe('schema drift', () => {
  it('has a migration for every entity change (migrations and entities describe the same schema)', async () => {
    const ds = await open(ALL_ENTITIES);
    expect(await ds.showMigrations()).toBe(false); // the template ran every migration listed
    const missing = await pendingSql(ds);
    if (missing.length) {
      throw new Error(
        `The entities differ from the migrated schema. Generate a migration (npm run migration:generate -- migrations/<Name>) ` +
          `for these ${missing.length} statement(s):\n${missing.map((q) => `  ${q};`).join('\n')}`,
      );
    }
    expect(missing).toEqual([]);
  });

  it('fails when an entity is added without a migration', async () => {
    const ds = await open([...ALL_ENTITIES, DriftProbe]);
    const missing = await pendingSql(ds);
    expect(missing).toEqual(expect.arrayContaining([expect.stringMatching(/^CREATE TABLE "drift_probe"/)]));
    // Only the probe differs: the rest of the schema is still in line.
    expect(missing.every((q) => q.includes('drift_probe'))).toBe(true);
  });

  it('fails when the schema lacks a column an entity declares', async () => {
    const ds = await open(ALL_ENTITIES);
    await ds.query('ALTER TABLE territory DROP COLUMN max_active_reservations');
    const missing = await pendingSql(ds);
    expect(missing).toEqual([expect.stringMatching(/^ALTER TABLE "territory" ADD "max_active_reservations" integer NOT NULL/)]);
  });
});
