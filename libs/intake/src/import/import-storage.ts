import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Uploaded inventory files live at STORAGE_DIR/imports/{sha256} (shared by api and worker). */
export function importFilePath(storageDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return join(resolve(storageDir), 'imports', sha256);
}

/** Content-addressed, written to a temporary name then renamed: a reader never sees half a file. */
export async function storeImportFile(storageDir: string, sha256: string, content: Buffer): Promise<string> {
  const path = importFilePath(storageDir, sha256);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.size === content.length) return path;
  await mkdir(join(resolve(storageDir), 'imports'), { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
  return path;
}

export function readImportFile(storageDir: string, sha256: string): Promise<Buffer> {
  return readFile(importFilePath(storageDir, sha256));
}
