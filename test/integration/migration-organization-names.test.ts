/**
 * The migration that makes organisation names unique whatever their case, on a database that
 * already holds two names differing only in case (allowed until then): it stops, naming them,
 * instead of failing on the index with PostgreSQL's message; once one is renamed it goes through.
 */
import 'reflect-metadata';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '@renum/composition';
import { dataSourceOptions } from '@renum/db';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { cloneTemplate, dropDatabase } from '../support/database';

const name = `renum_migr_${process.env.JEST_WORKER_ID ?? 0}_${process.pid}`;
let ds: DataSource;

beforeAll(async () => {
  ds = await new DataSource(dataSourceOptions(await cloneTemplate(name), ALL_ENTITIES, ALL_MIGRATIONS, 2)).initialize();
});
afterAll(async () => {
  if (ds?.isInitialized) await ds.destroy();
  await dropDatabase(name);
});

// That migration and those that came after it (undone first, applied again after it).
const MIGRATION = 'OrganizationNameAnyCase1795435000000';
const fromIt = ALL_MIGRATIONS.slice(ALL_MIGRATIONS.findIndex((m) => m.name === MIGRATION)).map((m) => m.name);

it('names the organisations that differ only in case, and applies once they are told apart', async () => {
  for (let i = 0; i < fromIt.length; i++) await ds.undoLastMigration({ transaction: 'each' });
  const territory = randomUUID();
  await ds.query(`INSERT INTO territory (id, name, beneficiary_secret) VALUES ($1, 'Migration', 'secret')`, [territory]);
  await ds.query(`INSERT INTO organization (id, territory_id, name, kind) VALUES ($1, $3, 'Mairie de Bron', 'DONOR'), ($2, $3, 'MAIRIE DE BRON', 'DONOR')`, [randomUUID(), randomUUID(), territory]);

  // Both spellings, in the database's collation order.
  await expect(ds.runMigrations({ transaction: 'each' })).rejects.toThrow(/« (MAIRIE DE BRON \/ Mairie de Bron|Mairie de Bron \/ MAIRIE DE BRON) »/);

  await ds.query(`UPDATE organization SET name = 'Mairie de Bron (CCAS)' WHERE name = 'MAIRIE DE BRON'`);
  expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(fromIt);
});
