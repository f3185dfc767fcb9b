import 'tsconfig-paths/register';
import 'reflect-metadata';
import { dataSourceOptions } from '@renum/db';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '@renum/composition';
import { databaseUrl, templateDb, withAdmin } from './database';

/** Runs the migrations once into a template database that every test file clones. */
export default async function globalSetup(): Promise<void> {
  if ((globalThis as { __renumTemplateReady?: boolean }).__renumTemplateReady) return;
  process.env.RENUM_TEST_TEMPLATE_DB ??= `renum_test_template_${process.pid}`;
  const template = templateDb();
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${template}"`);
  });
  const ds = await new DataSource(dataSourceOptions(databaseUrl(template), ALL_ENTITIES, ALL_MIGRATIONS, 2)).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  (globalThis as { __renumTemplateReady?: boolean }).__renumTemplateReady = true;
}
