import { SHEET_FAILED_DETAIL } from '@renum/labels';
import { TRANSITION_FAILED_DETAIL } from '@renum/lifecycle';
import { failedJobDetail } from './jobs.controller';

// What a worker's failure may say: the storage path, the errno, the SQL of a failed statement.
const RAW = "ENOENT: no such file or directory, open '/srv/renum/storage/labels/doc-x.pdf.part'";

describe('failedJobDetail: what a requester reads of a failed job', () => {
  it.each([
    ['device.transition', TRANSITION_FAILED_DETAIL],
    ['labels.sheet', SHEET_FAILED_DETAIL],
    ['erasure.certificate', expect.stringContaining("Le certificat n'a pas pu être produit")],
  ] as const)('%s: its own French words, never the raw failure', (name, expected) => {
    const detail = failedJobDetail(name, RAW);
    expect(detail).toEqual(expected);
    expect(detail).not.toContain('/srv/renum');
  });

  it('inventory.import: the reason the processor wrote for the donor (already French, unforeseen errors replaced)', () => {
    expect(failedJobDetail('inventory.import', "L'import s'est arrêté sur une erreur inattendue.")).toBe("L'import s'est arrêté sur une erreur inattendue.");
  });
});
