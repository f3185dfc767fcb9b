import { dataSourceOptions } from '@renum/db';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '@renum/composition';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** Creates the database named in the URL if it does not exist yet (first start). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function openDataSource(databaseUrl: string): Promise<DataSource> {
  return new DataSource(dataSourceOptions(databaseUrl, ALL_ENTITIES, ALL_MIGRATIONS, 4)).initialize();
}

export async function runMigrations(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const ds = await openDataSource(databaseUrl);
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
