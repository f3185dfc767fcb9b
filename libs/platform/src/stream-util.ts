import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Called between pages (or labels) of a document being rendered: waits for `out` to drain when
 * its buffer is full, otherwise yields one turn of the event loop so I/O (and anything else) can
 * run. Without this a synchronous input would be rendered entirely before a single byte reached
 * the output, and the process would answer nothing else meanwhile.
 */
export async function yieldToOutput(out: NodeJS.WritableStream): Promise<void> {
  const writable = out as Partial<Writable>;
  if (writable.destroyed || writable.writableEnded) throw new Error('output closed before the end of the document');
  if (writable.writableNeedDrain) await once(out, 'drain');
  else await new Promise<void>((resolve) => setImmediate(resolve));
}
