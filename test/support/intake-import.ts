import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually, TestApp, TestUser } from './test-app';

export { generateGlpiExport } from './bench-inventory-csv';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SHARED_GLPI_DIR = resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'glpi');
export const OWN_GLPI_DIR = join(REPO_ROOT, 'test', 'fixtures', 'glpi');

/** Every CSV of both fixture folders, as [directory, file name]. */
export function inventoryFixtures(): [string, string][] {
  return [SHARED_GLPI_DIR, OWN_GLPI_DIR].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.csv'))
      .sort()
      .map((f): [string, string] => [dir, f]),
  );
}

export function uploadInventory(t: TestApp, user: TestUser, donationId: string, content: Buffer, filename = 'inventaire.csv') {
  return t.http.post(`/api/v1/donations/${donationId}/import`).set(user.auth).attach('file', content, { filename, contentType: 'text/csv' });
}

export interface ImportResult {
  importId: string;
  donationId: string;
  format: string;
  language?: string;
  totalRows: number;
  created: number;
  skipped: number;
  errors: { row: number; field: string; message: string }[];
  alreadyRegistered: { row: number; serialNumber: string; code?: string; donationId?: string; donationReference?: string; message?: string }[];
  warnings: { row: number; field: string; message: string }[];
  ignoredColumns: string[];
  flagged: { row: number; serialNumber: string; flags: string[] }[];
  labelsUrl: string;
  labels: { method: string; url: string; body: { donationId: string; template: string } };
}

/** Polls GET /jobs/{jobId} as the requester until the job is done; fails fast on a failed job. */
export async function waitForImport(t: TestApp, user: TestUser, jobId: string, timeoutMs = 20000): Promise<{ state: string; progress: number; result: ImportResult }> {
  const body = await eventually(async () => {
    const res = await t.http.get(`/api/v1/jobs/${jobId}`).set(user.auth);
    return res.status === 200 && ['completed', 'failed'].includes(res.body.state) ? res.body : undefined;
  }, timeoutMs, 100);
  if (body.state !== 'completed') throw new Error(`import job ${jobId} failed: ${body.failedReason}`);
  return body;
}

/** Uploads and waits: the usual happy path. */
export async function importInventory(t: TestApp, user: TestUser, donationId: string, content: Buffer, filename?: string): Promise<ImportResult> {
  const res = await uploadInventory(t, user, donationId, content, filename);
  if (res.status !== 202) throw new Error(`import upload: ${res.status} ${JSON.stringify(res.body)}`);
  return (await waitForImport(t, user, res.body.jobId)).result;
}
