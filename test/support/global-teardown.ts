import { templateDb, withAdmin } from './database';

/** Drops this run's template (set by the global setup); per-file clones are dropped by their files. */
export default async function globalTeardown(): Promise<void> {
  if (!process.env.RENUM_TEST_TEMPLATE_DB) return;
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${templateDb()}" WITH (FORCE)`));
}
