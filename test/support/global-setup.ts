import 'tsconfig-paths/register';
import 'reflect-metadata';
import { dataSourceOptions } from '@renum/db';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '@renum/composition';
import { databaseUrl, TEMPLATE_DB, withAdmin } from './database';

/** Runs the migrations once into a template database that every test file clones. */
export default async function globalSetup(): Promise<void> {
  if ((globalThis as { __renumTemplateReady?: boolean }).__renumTemplateReady) return;
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  });
  const ds = await new DataSource(dataSourceOptions(databaseUrl(TEMPLATE_DB), ALL_ENTITIES, ALL_MIGRATIONS, 2)).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  (globalThis as { __renumTemplateReady?: boolean }).__renumTemplateReady = true;
}
