import { checkDataInvariant } from './erasure-invariant';
import { Actor, decideTransition, scanActions } from './lifecycle';
import { decideMediumAbsence, MediumAbsenceFacts } from './medium-absence';
import { DEVICE_STATUSES, ORGANIZATION_KINDS, ROLES } from './vocabulary';

const COLLECTED_AT = new Date('2026-03-02T09:00:00Z');
const AFTER = new Date('2026-03-02T10:00:00Z');
const REASON = 'Un seul disque dans la baie ; le second numéro est celui du poste voisin.';

const actor = (kind: Actor['kind'], role: Actor['role'] = 'agent', over: Partial<Actor> = {}): Actor => ({ kind, role, organizationId: kind === 'WORKSHOP' ? 'W1' : `${kind}-1`, territoryId: 'T1', ...over });
const WORKSHOP = actor('WORKSHOP');

/** A laptop collected by W1 whose donor-declared disk was never erased: the case to declare absent. */
const facts = (over: Partial<MediumAbsenceFacts> = {}, medium: Partial<MediumAbsenceFacts['medium']> = {}): MediumAbsenceFacts => ({
  status: 'COLLECTED',
  territoryId: 'T1',
  custodianOrganizationId: 'W1',
  erasureRecords: 0,
  ...over,
  medium: { declaredByDonor: true, absenceReason: null, ...medium },
});

const outcome = (v: ReturnType<typeof decideMediumAbsence>) => (v.ok ? (v.already ? 'already' : 'ok') : `${v.refusal.status} ${v.refusal.code}`);

describe('decideMediumAbsence: who', () => {
  // Every (kind, role): the holding workshop's technicians and admins only (not a coordinator: it has not opened the device).
  const cases = ORGANIZATION_KINDS.flatMap((kind) => ROLES.map((role) => [kind, role] as const));
  it.each(cases)('%s %s', (kind, role) => {
    const allowed = kind === 'WORKSHOP' && role !== 'viewer';
    expect(outcome(decideMediumAbsence(actor(kind, role), facts(), REASON))).toBe(allowed ? 'ok' : '403 forbidden');
  });

  it.each([
    ['another workshop of the territory', actor('WORKSHOP', 'agent', { organizationId: 'W2' }), '403 not-custodian'],
    ['the holding workshop, seen from another territory', actor('WORKSHOP', 'agent', { territoryId: 'T2' }), '403 not-custodian'],
    ['the holding workshop', WORKSHOP, 'ok'],
  ])('%s → %s', (_, who, expected) => {
    expect(outcome(decideMediumAbsence(who, facts(), REASON))).toBe(expected);
  });
});

describe('decideMediumAbsence: when and which medium', () => {
  it.each(DEVICE_STATUSES.map((s) => [s]))('from %s', (status) => {
    expect(outcome(decideMediumAbsence(WORKSHOP, facts({ status }), REASON))).toBe(status === 'COLLECTED' ? 'ok' : '409 not-collected');
  });

  it.each([
    ['declared by the donor, never erased', facts(), 'ok'],
    ['discovered by an erasure record or a report', facts({}, { declaredByDonor: false }), '422 medium-seen'],
    ['with an erasure record (any result, any custody: a returned device may hold the beneficiary’s data)', facts({ erasureRecords: 1 }), '422 medium-seen'],
    ['with several erasure records', facts({ erasureRecords: 3 }), '422 medium-seen'],
    ['already absent, the same reason again (a retry)', facts({}, { absenceReason: REASON }), 'already'],
    ['already absent, the same reason with spaces around', facts({}, { absenceReason: REASON }), 'already'],
    ['already absent, another reason', facts({}, { absenceReason: 'Autre motif' }), '409 medium-already-absent'],
    ['already absent, retried once the device is wiped', facts({ status: 'WIPED' }, { absenceReason: REASON }), 'already'],
  ])('%s → %s', (name, f, expected) => {
    const reason = name.includes('spaces') ? `  ${REASON}\n` : REASON;
    expect(outcome(decideMediumAbsence(WORKSHOP, f, reason))).toBe(expected);
  });

  it('says why in French', () => {
    const v = decideMediumAbsence(WORKSHOP, facts({ status: 'WIPED' }), REASON);
    expect(!v.ok && v.refusal.detail).toContain('ce matériel est au statut « Effacement des données certifié » (WIPED)');
    const other = decideMediumAbsence(WORKSHOP, facts({}, { absenceReason: 'Baie vide' }), REASON);
    expect(!other.ok && other.refusal.detail).toContain('« Baie vide »');
  });
});

describe('a medium declared absent and the data invariant', () => {
  const erased = { level: 'PURGE' as const, result: 'PASSED' as const, startedAt: AFTER, endedAt: AFTER, recordedAt: AFTER, voided: false };
  const custody = (media: { serialNumber: string; declaredByDonor?: boolean; absent?: boolean }[], erasures: string[] = []) => ({
    media,
    erasures: erasures.map((mediumSerial) => ({ ...erased, mediumSerial })),
    custodyInAt: COLLECTED_AT,
    noStorageDeclaredAt: null,
  });

  it('no longer needs an erasure; the other media still do', () => {
    expect(checkDataInvariant(custody([{ serialNumber: 'REAL' }, { serialNumber: 'GHOST', absent: true }], ['REAL']))).toEqual({ ok: true });
    expect(checkDataInvariant(custody([{ serialNumber: 'REAL' }, { serialNumber: 'GHOST', absent: true }]))).toMatchObject({ ok: false, missing: ['REAL'] });
  });

  it('a device whose only known medium is absent is a device with no known medium: « no storage » must be stated', () => {
    expect(checkDataInvariant(custody([{ serialNumber: 'GHOST', absent: true }]))).toMatchObject({ ok: false, missing: [] });
    // The technician sees the medium listed: the refusal says it is declared absent, not that no medium is known.
    const refused = checkDataInvariant(custody([{ serialNumber: 'GHOST', absent: true }, { serialNumber: 'GHOST-2', absent: true }]));
    expect(!refused.ok && refused.detail).toBe(
      "Les 2 supports de stockage connus de ce matériel sont déclarés absents de l'appareil : indiquez explicitement qu'il n'a pas de stockage (noStorage: true), ou enregistrez l'effacement de chaque disque qu'il contient.",
    );
    const one = checkDataInvariant(custody([{ serialNumber: 'GHOST', absent: true }]));
    expect(!one.ok && one.detail).toMatch(/^Le seul support de stockage connu de ce matériel est déclaré absent de l'appareil : /);
    expect(checkDataInvariant(custody([]))).toMatchObject({ ok: false, detail: expect.stringMatching(/^Aucun support de stockage n'est connu pour ce matériel/) });
    expect(checkDataInvariant({ ...custody([{ serialNumber: 'GHOST', absent: true }]), noStorageDeclaredAt: AFTER })).toEqual({ ok: true });
    const device = { type: 'LAPTOP' as const, status: 'COLLECTED' as const, territoryId: 'T1', custodianOrganizationId: 'W1', reservedByOrganizationId: null, lastWorkshopId: 'W1', ...custody([{ serialNumber: 'GHOST', absent: true }]) };
    expect(decideTransition('wipe', WORKSHOP, device, { noStorage: true }).ok).toBe(true);
    expect(scanActions(WORKSHOP, device).allowed).toContain('wipe');
  });

  it('the wipe refusal tells the way out for a donor-declared medium never erased, and only for it', () => {
    const v = checkDataInvariant(custody([{ serialNumber: 'REAL' }, { serialNumber: 'GHOST', declaredByDonor: true }, { serialNumber: 'FOUND', declaredByDonor: false }], []));
    expect(!v.ok && v.detail).toContain("GHOST (déclaré par le donateur, jamais effacé : si ce support n'est pas dans l'appareil, déclarez-le absent), FOUND.");
    expect(!v.ok && v.detail).toContain('pour : REAL, GHOST');
    const failed = checkDataInvariant({ ...custody([{ serialNumber: 'GHOST', declaredByDonor: true }]), erasures: [{ ...erased, mediumSerial: 'GHOST', result: 'FAILED' }] });
    expect(!failed.ok && failed.detail).toContain('GHOST (dernier effacement en échec)');
  });
});
