import { ErasureFact } from './erasure-invariant';
import {
  Actor,
  ACTING_FOR,
  actingOrganization,
  allowedActions,
  scanActions,
  decideTransition,
  DeviceFacts,
  GuardFacts,
  forbiddenActionDetail,
  mayEverPerform,
  SYSTEM_ACTOR,
  whoMayPerform,
  TRANSITION_ACTIONS,
  TransitionAction,
  TransitionPayload,
  Verdict,
} from './lifecycle';
import { DEVICE_STATUSES, DeviceStatus, DeviceType, ORGANIZATION_KINDS, OrganizationKind, Role, ROLES } from './vocabulary';

/* ------------------------------------------------------------------------------------------
 * EXPECTED lifecycle, written by hand from DOMAIN.md "Device lifecycle" (NOT from LIFECYCLE).
 *
 * Interpretations (decided upstream):
 * - "workshop technician" = WORKSHOP admin or agent; "charity agent" = CHARITY admin or agent;
 * - publish = WORKSHOP admin (the custodian) or COORDINATOR admin/agent;
 * - release = the reserving charity (admin/agent), a coordinator (admin/agent), or the system;
 * - return = workshop technician or coordinator (admin/agent);
 * - a viewer never acts; DONOR and RECYCLER never perform a transition (register is not one).
 * ---------------------------------------------------------------------------------------- */
const TECH: Role[] = ['admin', 'agent'];
const ADMIN: Role[] = ['admin'];

type Who = Partial<Record<OrganizationKind, Role[]>>;
interface Expected {
  from: DeviceStatus[];
  to: DeviceStatus;
  who: Who;
}

// prettier-ignore
const EXPECTED: Record<TransitionAction, Expected> = {
  //                 from                                                      to              who may do it
  collect:         { from: ['REGISTERED'],                                    to: 'COLLECTED',    who: { WORKSHOP: TECH } },
  wipe:            { from: ['COLLECTED'],                                     to: 'WIPED',        who: { WORKSHOP: TECH } },
  start_refurbish: { from: ['WIPED'],                                         to: 'REFURBISHING', who: { WORKSHOP: TECH } },
  refurbish:       { from: ['REFURBISHING'],                                  to: 'REFURBISHED',  who: { WORKSHOP: TECH } },
  publish:         { from: ['REFURBISHED'],                                   to: 'AVAILABLE',    who: { WORKSHOP: ADMIN, COORDINATOR: TECH } },
  reserve:         { from: ['AVAILABLE'],                                     to: 'RESERVED',     who: { CHARITY: TECH } },
  release:         { from: ['RESERVED'],                                      to: 'AVAILABLE',    who: { CHARITY: TECH, COORDINATOR: TECH } },
  distribute:      { from: ['RESERVED'],                                      to: 'DISTRIBUTED',  who: { CHARITY: TECH } },
  return:          { from: ['DISTRIBUTED'],                                   to: 'COLLECTED',    who: { WORKSHOP: TECH, COORDINATOR: TECH } },
  recycle:         { from: ['COLLECTED', 'WIPED', 'REFURBISHING', 'REFURBISHED'], to: 'RECYCLED', who: { WORKSHOP: TECH } },
  dismantle:       { from: ['WIPED', 'REFURBISHING'],                         to: 'DISMANTLED',   who: { WORKSHOP: TECH } },
};

type Outcome = { ok: true; to: DeviceStatus } | { ok: false; status: number; code: string };

function expectedOutcome(action: TransitionAction, status: DeviceStatus, kind: OrganizationKind, role: Role): Outcome {
  const e = EXPECTED[action];
  if (!(e.who[kind] ?? []).includes(role)) return { ok: false, status: 403, code: 'forbidden-action' };
  if (!e.from.includes(status)) return { ok: false, status: 409, code: 'illegal-transition' };
  return { ok: true, to: e.to };
}

function outcomeOf(v: Verdict): Outcome {
  return v.ok ? { ok: true, to: v.to } : { ok: false, status: v.refusal.status, code: v.refusal.code };
}

/* ------------------------------------------------------------------------------------------
 * One small world, all in territory T1: donor D1, workshop W1, charity C1, coordinator K1,
 * recycler R1. Other organisations: workshop W2 and charity C2 (T1), workshop W9 (T9).
 * ---------------------------------------------------------------------------------------- */
const T1 = 'T1';
const ORG_OF: Record<OrganizationKind, string> = { DONOR: 'D1', WORKSHOP: 'W1', CHARITY: 'C1', COORDINATOR: 'K1', RECYCLER: 'R1' };
const actor = (kind: OrganizationKind, role: Role = 'agent', organizationId = ORG_OF[kind], territoryId = T1): Actor => ({
  kind,
  role,
  organizationId,
  territoryId,
});

const COLLECTED_AT = new Date('2025-03-01T09:00:00Z');
const ERASED_AT = new Date('2025-03-02T10:00:00Z');
const RETURNED_AT = new Date('2025-06-01T09:00:00Z');

const passed = (mediumSerial: string, endedAt = ERASED_AT, extra: Partial<ErasureFact> = {}): ErasureFact => ({
  mediumSerial,
  level: 'PURGE',
  result: 'PASSED',
  startedAt: new Date(endedAt.getTime() - 30 * 60_000), // a half-hour run
  endedAt,
  recordedAt: endedAt,
  voided: false,
  ...extra,
});

/** Where a device realistically is in each status (custodian, reservation). */
function custodianIn(status: DeviceStatus): string {
  switch (status) {
    case 'REGISTERED':
      return 'D1';
    case 'DISTRIBUTED':
      return 'C1';
    case 'RECYCLED':
      return 'R1';
    default:
      return 'W1';
  }
}

/** A laptop in `status` whose facts satisfy every relation and every guard. */
function device(status: DeviceStatus, over: Partial<DeviceFacts> = {}): DeviceFacts {
  return {
    type: 'LAPTOP',
    status,
    territoryId: T1,
    custodianOrganizationId: custodianIn(status),
    reservedByOrganizationId: status === 'RESERVED' ? 'C1' : null,
    lastWorkshopId: status === 'REGISTERED' ? null : 'W1',
    media: [{ serialNumber: 'S3NDISK001' }],
    erasures: status === 'REGISTERED' ? [] : [passed('S3NDISK001')],
    custodyInAt: status === 'REGISTERED' ? null : COLLECTED_AT,
    noStorageDeclaredAt: null,
    ...over,
  };
}

/** A payload that satisfies every guard of every action. */
const GOOD_PAYLOAD: TransitionPayload = {
  grade: 'A',
  checklist: { boot: true, screen: true, keyboard: true, wifi: true, ports: true },
  os: 'Linux Mint 22',
  batteryHealthPct: 87,
  priceCents: 12000,
  recyclerOrganizationId: 'R1',
  paymentMethod: 'CASH',
  beneficiary: { ref: 'DOS-42', eligibility: 'minima_sociaux', postalCode: '59000' },
  reason: 'motif',
};
const GOOD_FACTS: GuardFacts = { priceCapCents: 18000, recycler: { kind: 'RECYCLER', territoryId: T1 } };
/** GOOD_FACTS, plus the organisation a forced collect or reserve names, of the right kind. */
const goodFacts = (action: TransitionAction): GuardFacts => ({ ...GOOD_FACTS, actingFor: { kind: ACTING_FOR[action]?.kind ?? 'WORKSHOP', territoryId: T1 } });

const decide = (
  action: TransitionAction,
  who: Actor | typeof SYSTEM_ACTOR,
  dev: DeviceFacts,
  payload: TransitionPayload = GOOD_PAYLOAD,
  facts: GuardFacts = goodFacts(action),
) => decideTransition(action, who, dev, payload, facts);

const refusalOf = (v: Verdict) => (v.ok ? null : { status: v.refusal.status, code: v.refusal.code });

/* ========================================================================================== */

describe('lifecycle: every status × action × organisation kind × role (1650 cases)', () => {
  const rows: [DeviceStatus, OrganizationKind, Role][] = [];
  for (const status of DEVICE_STATUSES) for (const kind of ORGANIZATION_KINDS) for (const role of ROLES) rows.push([status, kind, role]);

  it('the grid has the size the brief announces', () => {
    expect(DEVICE_STATUSES).toHaveLength(10);
    expect(TRANSITION_ACTIONS).toHaveLength(11);
    expect(ORGANIZATION_KINDS).toHaveLength(5);
    expect(ROLES).toHaveLength(3);
    expect([...TRANSITION_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(rows.length * TRANSITION_ACTIONS.length).toBe(1650);
  });

  describe.each([...TRANSITION_ACTIONS])('%s', (action) => {
    it.each(rows)(`${action} from %s by %s %s`, (status, kind, role) => {
      const got = outcomeOf(decide(action, actor(kind, role), device(status)));
      expect(got).toEqual(expectedOutcome(action, status, kind, role));
    });
  });

  it('allowed transitions (no override) match the hand-written table, counted', () => {
    let allowed = 0;
    let forbidden = 0;
    let illegal = 0;
    for (const action of TRANSITION_ACTIONS)
      for (const [status, kind, role] of rows) {
        const o = outcomeOf(decide(action, actor(kind, role), device(status)));
        if (o.ok) allowed++;
        else if (o.status === 403) forbidden++;
        else illegal++;
      }
    // 15 (action, from) pairs; each open to 2 working roles of its kinds; publish: 1 + 2, release: 2 + 2, return: 2 + 2.
    expect(allowed).toBe(2 * 12 + 3 + 4 + 4);
    expect(allowed + forbidden + illegal).toBe(1650);
  });

  it('mayEverPerform agrees with the table for every action × kind × role', () => {
    for (const action of TRANSITION_ACTIONS)
      for (const kind of ORGANIZATION_KINDS)
        for (const role of ROLES) expect([action, kind, role, mayEverPerform(action, { kind, role })]).toEqual([action, kind, role, (EXPECTED[action].who[kind] ?? []).includes(role)]);
  });

  it('scanActions sets apart the actions the data invariant refuses now, with the refusal', () => {
    const unproven = { media: [{ serialNumber: 'S3NDISK001' }, { serialNumber: 'LATE-DISK' }] };
    const tech = actor('WORKSHOP', 'agent');
    expect(scanActions(tech, device('COLLECTED', unproven))).toEqual({
      allowed: [],
      blocked: ['wipe', 'recycle'].map((action) => ({ action, refusal: expect.objectContaining({ code: 'erasure-missing', missingMedia: ['LATE-DISK'] }) })),
    });
    expect(scanActions(tech, device('REFURBISHING', unproven))).toMatchObject({ allowed: ['refurbish'], blocked: [{ action: 'recycle' }, { action: 'dismantle' }] });
    expect(scanActions(actor('CHARITY'), device('AVAILABLE', unproven))).toMatchObject({ allowed: [], blocked: [{ action: 'reserve' }] });
    // No known medium: the wipe and the recycling stay on offer, with "no storage".
    expect(scanActions(tech, device('COLLECTED', { media: [], erasures: [] }))).toEqual({ allowed: ['wipe', 'recycle'], blocked: [] });
  });

  it('allowedActions (scan screen) lists exactly the actions the table allows', () => {
    for (const status of DEVICE_STATUSES)
      for (const kind of ORGANIZATION_KINDS)
        for (const role of ROLES) {
          const expected = TRANSITION_ACTIONS.filter((a) => expectedOutcome(a, status, kind, role).ok);
          expect([status, kind, role, allowedActions(actor(kind, role), device(status))]).toEqual([status, kind, role, expected]);
        }
  });
});

describe('coordinator override', () => {
  // A forced collect names the workshop taking custody.
  const OVERRIDE: TransitionPayload = { ...GOOD_PAYLOAD, override: true, reason: 'Atelier fermé, reprise par la coordination', workshopOrganizationId: 'W2', charityOrganizationId: 'C2' };

  describe.each(TECH)('coordinator %s with override and a reason', (role) => {
    const cases: [TransitionAction, DeviceStatus][] = [];
    for (const action of TRANSITION_ACTIONS) for (const status of DEVICE_STATUSES) cases.push([action, status]);

    it.each(cases)('%s from %s: allowed only from a legal status', (action, status) => {
      const v = decide(action, actor('COORDINATOR', role), device(status), OVERRIDE);
      if (EXPECTED[action].from.includes(status)) {
        expect(v).toMatchObject({ ok: true, from: status, to: EXPECTED[action].to, overridden: true });
      } else {
        // override never bypasses the status machine
        expect(refusalOf(v)).toEqual({ status: 409, code: expect.stringMatching(/^(illegal-transition|reserved-by-another)$/) });
      }
    });
  });

  it('skips the relation checks (not custodian, not reserver)', () => {
    const k = actor('COORDINATOR', 'admin');
    expect(decide('wipe', k, device('COLLECTED'), OVERRIDE)).toMatchObject({ ok: true, to: 'WIPED', overridden: true });
    expect(decide('distribute', k, device('RESERVED'), OVERRIDE)).toMatchObject({ ok: true, to: 'DISTRIBUTED' });
  });

  it('a coordinator acting within its own rights without override is not marked overridden', () => {
    expect(decide('publish', actor('COORDINATOR', 'agent'), device('REFURBISHED'))).toMatchObject({ ok: true, overridden: false });
  });

  it.each([undefined, '', '   '])('override without a reason (%p) → 422 override-reason-required', (reason) => {
    const v = decide('wipe', actor('COORDINATOR', 'admin'), device('COLLECTED'), { ...GOOD_PAYLOAD, override: true, reason });
    expect(refusalOf(v)).toEqual({ status: 422, code: 'override-reason-required' });
  });

  it('override by a coordinator viewer → 403', () => {
    expect(refusalOf(decide('wipe', actor('COORDINATOR', 'viewer'), device('COLLECTED'), OVERRIDE))).toEqual({ status: 403, code: 'forbidden-action' });
  });

  it.each(ORGANIZATION_KINDS.filter((k) => k !== 'COORDINATOR').flatMap((k) => ROLES.map((r) => [k, r] as const)))(
    'override by a non-coordinator (%s %s) → 403, even for an action it may do',
    (kind, role) => {
      expect(refusalOf(decide('wipe', actor(kind, role), device('COLLECTED'), OVERRIDE))).toEqual({ status: 403, code: 'forbidden-action' });
      expect(refusalOf(decide('reserve', actor(kind, role), device('AVAILABLE'), OVERRIDE))).toEqual({ status: 403, code: 'forbidden-action' });
    },
  );

  it('override never bypasses the data invariant', () => {
    const dirty = device('REFURBISHED', { erasures: [] });
    for (const action of ['publish', 'recycle'] as const) {
      expect(refusalOf(decide(action, actor('COORDINATOR', 'admin'), dirty, OVERRIDE))).toEqual({ status: 422, code: 'erasure-missing' });
    }
    expect(refusalOf(decide('wipe', actor('COORDINATOR', 'admin'), device('COLLECTED', { erasures: [] }), OVERRIDE))).toEqual({
      status: 422,
      code: 'erasure-missing',
    });
  });

  it('override never bypasses the price cap', () => {
    const v = decide('publish', actor('COORDINATOR', 'admin'), device('REFURBISHED'), { ...OVERRIDE, priceCents: 18001 });
    expect(refusalOf(v)).toEqual({ status: 422, code: 'price-above-cap' });
  });
});

describe('check order: 403 kind/role → 409 status → 403 relation → 422 guards', () => {
  it('a forbidden kind on an illegal status gets 403, not 409', () => {
    expect(refusalOf(decide('wipe', actor('CHARITY'), device('AVAILABLE')))).toEqual({ status: 403, code: 'forbidden-action' });
  });
  it('an illegal status beats a broken relation (409 before 403)', () => {
    expect(refusalOf(decide('wipe', actor('WORKSHOP', 'agent', 'W2'), device('AVAILABLE')))).toEqual({ status: 409, code: 'illegal-transition' });
  });
  it('a broken relation beats a failing guard (403 before 422)', () => {
    const dirty = device('COLLECTED', { erasures: [] });
    expect(refusalOf(decide('wipe', actor('WORKSHOP', 'agent', 'W2'), dirty))).toEqual({ status: 403, code: 'forbidden-action' });
    expect(refusalOf(decide('wipe', actor('WORKSHOP', 'agent'), dirty))).toEqual({ status: 422, code: 'erasure-missing' });
  });
  it('an illegal status beats a failing guard', () => {
    expect(refusalOf(decide('publish', actor('WORKSHOP', 'admin'), device('AVAILABLE', { erasures: [] }), { priceCents: 99999 }))).toEqual({
      status: 409,
      code: 'illegal-transition',
    });
  });
});

describe('refusals a volunteer can act on', () => {
  const detailOf = (v: Verdict) => (v.ok ? '' : v.refusal.detail);
  it('a status refusal names the statuses in French and where the action starts', () => {
    expect(detailOf(decide('start_refurbish', actor('WORKSHOP', 'agent'), device('COLLECTED')))).toBe(
      "L'action « start_refurbish » n'est pas possible : le matériel est au statut « Collecté par un atelier » (COLLECTED), et elle se fait depuis « Effacement des données certifié » (WIPED). Action attendue d'abord : « wipe ».",
    );
  });
  it.each([
    ['wipe', 'REGISTERED', 'collect'],
    ['refurbish', 'WIPED', 'start_refurbish'],
    ['publish', 'REFURBISHING', 'refurbish'],
    ['reserve', 'REFURBISHED', 'publish'],
    ['dismantle', 'COLLECTED', 'wipe'],
    ['return', 'RESERVED', 'distribute'],
  ] as [TransitionAction, DeviceStatus, TransitionAction][])('%s from %s names the action expected first: %s', (action, status, first) => {
    const who = action === 'reserve' ? actor('CHARITY') : actor('WORKSHOP', action === 'publish' ? 'admin' : 'agent');
    expect(detailOf(decide(action, who, device(status)))).toMatch(new RegExp(`Action attendue d'abord : « ${first} »\\.$`));
  });
  it('no hint when no single action leads to where the action starts', () => {
    expect(detailOf(decide('publish', actor('WORKSHOP', 'admin'), device('COLLECTED')))).not.toMatch(/attendue/);
  });
  it('a hand-over of a device no longer reserved says the reservation may have lapsed and to reserve again', () => {
    expect(detailOf(decide('distribute', actor('CHARITY'), device('AVAILABLE')))).toMatch(/La réservation a pu expirer ou être libérée : réservez-le à nouveau \(« reserve »\) avant de le remettre\.$/);
  });
  it('reserved by another: reserve points to the catalogue, hand-over and release to the holder', () => {
    expect(detailOf(decide('reserve', actor('CHARITY', 'agent', 'C2'), device('RESERVED')))).toMatch(/choisissez-en un autre dans le catalogue/);
    for (const action of ['release', 'distribute'] as const) {
      expect(detailOf(decide(action, actor('CHARITY', 'agent', 'C2'), device('RESERVED')))).toMatch(/seul ce partenaire, ou la coordination/);
    }
  });
  it('an action already done says there is nothing to do', () => {
    expect(detailOf(decide('reserve', actor('CHARITY', 'agent'), device('RESERVED')))).toBe('Rien à faire : le matériel est déjà au statut « Réservé pour un bénéficiaire » (RESERVED).');
  });
  it('a 403 says who performs the action', () => {
    expect(whoMayPerform('publish')).toBe('un atelier qui a le matériel (administrateur), la coordination');
    expect(whoMayPerform('return')).toBe('un atelier, la coordination');
    expect(whoMayPerform('reserve')).toBe('une association partenaire, la coordination en forçant l’action (override, avec un motif)');
    expect(detailOf(decide('publish', actor('WORKSHOP', 'agent'), device('REFURBISHED')))).toBe(forbiddenActionDetail('publish'));
    expect(forbiddenActionDetail('publish')).toMatch(/« publish ».*Elle revient à : un atelier qui a le matériel \(administrateur\), la coordination\.$/);
  });
});

describe('relations to the device', () => {
  it('a workshop that is not the custodian gets 403 for every custodian-only action', () => {
    const other = actor('WORKSHOP', 'admin', 'W2');
    const cases: [TransitionAction, DeviceStatus][] = [
      ['wipe', 'COLLECTED'],
      ['start_refurbish', 'WIPED'],
      ['refurbish', 'REFURBISHING'],
      ['publish', 'REFURBISHED'],
      ['recycle', 'COLLECTED'],
      ['recycle', 'REFURBISHED'],
      ['dismantle', 'WIPED'],
    ];
    for (const [action, status] of cases) {
      expect([action, refusalOf(decide(action, other, device(status)))]).toEqual([action, { status: 403, code: 'forbidden-action' }]);
      expect([action, decide(action, actor('WORKSHOP', 'admin'), device(status)).ok]).toEqual([action, true]);
    }
  });

  it('collect: any workshop of the territory, the donor being the custodian', () => {
    expect(decide('collect', actor('WORKSHOP', 'agent', 'W2'), device('REGISTERED'))).toMatchObject({ ok: true, custodianOrganizationId: 'W2' });
  });

  it('return: any workshop of the territory, although the charity holds the device', () => {
    expect(decide('return', actor('WORKSHOP', 'agent', 'W2'), device('DISTRIBUTED'))).toMatchObject({ ok: true, custodianOrganizationId: 'W2' });
  });

  it('reserve: any charity of the territory; publish and release: a coordinator of the territory', () => {
    expect(decide('reserve', actor('CHARITY', 'agent', 'C2'), device('AVAILABLE')).ok).toBe(true);
    expect(decide('publish', actor('COORDINATOR', 'agent'), device('REFURBISHED')).ok).toBe(true);
    expect(decide('release', actor('COORDINATOR', 'agent'), device('RESERVED')).ok).toBe(true);
    expect(decide('return', actor('COORDINATOR', 'admin'), device('DISTRIBUTED')).ok).toBe(true);
  });

  describe('another territory → 403', () => {
    const cases: [TransitionAction, DeviceStatus, Actor][] = [
      ['collect', 'REGISTERED', actor('WORKSHOP', 'agent', 'W9', 'T9')],
      // even an organisation whose id is the custodian's, if it is in another territory
      ['wipe', 'COLLECTED', actor('WORKSHOP', 'agent', 'W1', 'T9')],
      ['publish', 'REFURBISHED', actor('COORDINATOR', 'admin', 'K9', 'T9')],
      ['reserve', 'AVAILABLE', actor('CHARITY', 'agent', 'C9', 'T9')],
      ['release', 'RESERVED', actor('COORDINATOR', 'agent', 'K9', 'T9')],
      ['release', 'RESERVED', actor('CHARITY', 'agent', 'C9', 'T9')],
      ['distribute', 'RESERVED', actor('CHARITY', 'agent', 'C9', 'T9')],
      ['return', 'DISTRIBUTED', actor('WORKSHOP', 'agent', 'W9', 'T9')],
      ['return', 'DISTRIBUTED', actor('COORDINATOR', 'agent', 'K9', 'T9')],
    ];
    it.each(cases)('%s from %s', (action, status, who) => {
      expect(refusalOf(decide(action, who, device(status)))).toEqual({ status: 403, code: 'forbidden-action' });
    });
  });

  it.each(['release', 'distribute'] as const)('%s by a charity that did not reserve → 409 reserved-by-another', (action) => {
    for (const role of TECH) {
      expect(refusalOf(decide(action, actor('CHARITY', role, 'C2'), device('RESERVED')))).toEqual({ status: 409, code: 'reserved-by-another' });
    }
  });

  it('reserve on a device reserved by another charity → 409 reserved-by-another', () => {
    expect(refusalOf(decide('reserve', actor('CHARITY', 'agent', 'C2'), device('RESERVED')))).toEqual({ status: 409, code: 'reserved-by-another' });
  });

  it('reserve on a device the charity already reserved → 409 illegal-transition', () => {
    expect(refusalOf(decide('reserve', actor('CHARITY', 'agent', 'C1'), device('RESERVED')))).toEqual({ status: 409, code: 'illegal-transition' });
  });

  it('release or distribute by the reserving charity when the device is no longer reserved → 409 illegal-transition', () => {
    expect(refusalOf(decide('release', actor('CHARITY'), device('AVAILABLE')))).toEqual({ status: 409, code: 'illegal-transition' });
    expect(refusalOf(decide('distribute', actor('CHARITY'), device('DISTRIBUTED')))).toEqual({ status: 409, code: 'illegal-transition' });
  });
});

describe('custody (invariant 2) and custody-in', () => {
  const custodyOf = (v: Verdict) => (v.ok ? { custodian: v.custodianOrganizationId, custodyIn: v.custodyIn } : v.refusal);

  it('collect → the acting workshop, custody-in', () => {
    expect(custodyOf(decide('collect', actor('WORKSHOP', 'agent', 'W2'), device('REGISTERED')))).toEqual({ custodian: 'W2', custodyIn: true });
  });
  it('collect forced by a coordinator → the workshop it names, never the coordinator', () => {
    const forced = { override: true, reason: 'Technicien sans téléphone' };
    const k = actor('COORDINATOR', 'admin');
    expect(custodyOf(decide('collect', k, device('REGISTERED'), { ...forced, workshopOrganizationId: 'W2' }))).toEqual({ custodian: 'W2', custodyIn: true });
    // Not named, or not a workshop of the territory: refused, since no one else can record the erasures.
    expect(refusalOf(decide('collect', k, device('REGISTERED'), forced))).toEqual({ status: 422, code: 'invalid-workshop' });
    for (const named of [{ kind: 'CHARITY', territoryId: T1 }, { kind: 'WORKSHOP', territoryId: 'T9' }, null] as GuardFacts['actingFor'][]) {
      expect(refusalOf(decide('collect', k, device('REGISTERED'), { ...forced, workshopOrganizationId: 'X' }, { actingFor: named }))).toEqual({ status: 422, code: 'invalid-workshop' });
    }
  });
  it('reserve forced by a coordinator → for the charity it names, never the coordination', () => {
    const forced = { override: true, reason: 'Permanence sans connexion' };
    const k = actor('COORDINATOR', 'agent');
    expect(actingOrganization('reserve', k, { ...forced, charityOrganizationId: 'C2' })).toBe('C2');
    expect(decide('reserve', k, device('AVAILABLE'), { ...forced, charityOrganizationId: 'C2' })).toMatchObject({ ok: true, to: 'RESERVED' });
    expect(refusalOf(decide('reserve', k, device('AVAILABLE'), forced))).toEqual({ status: 422, code: 'invalid-charity' });
    expect(refusalOf(decide('reserve', k, device('AVAILABLE'), { ...forced, charityOrganizationId: 'W2' }, { actingFor: { kind: 'WORKSHOP', territoryId: T1 } }))).toEqual({ status: 422, code: 'invalid-charity' });
    // A charity reserves for itself.
    expect(actingOrganization('reserve', actor('CHARITY'), {})).toBe('C1');
    expect(refusalOf(decide('reserve', actor('CHARITY'), device('AVAILABLE'), { charityOrganizationId: 'C2' }))).toEqual({ status: 422, code: 'invalid-charity' });
  });
  it('collect by a workshop naming another workshop → refused; naming itself → fine', () => {
    expect(refusalOf(decide('collect', actor('WORKSHOP', 'agent'), device('REGISTERED'), { workshopOrganizationId: 'W2' }))).toEqual({ status: 422, code: 'invalid-workshop' });
    expect(custodyOf(decide('collect', actor('WORKSHOP', 'agent'), device('REGISTERED'), { workshopOrganizationId: 'W1' }))).toEqual({ custodian: 'W1', custodyIn: true });
  });
  it('distribute → the reserving charity', () => {
    expect(custodyOf(decide('distribute', actor('CHARITY', 'admin'), device('RESERVED')))).toEqual({ custodian: 'C1', custodyIn: false });
  });
  it('distribute forced by a coordinator → still the reserving charity, never the coordinator', () => {
    const v = decide('distribute', actor('COORDINATOR', 'admin'), device('RESERVED'), { ...GOOD_PAYLOAD, override: true, reason: 'remise en permanence' });
    expect(custodyOf(v)).toEqual({ custodian: 'C1', custodyIn: false });
  });
  it('return by a workshop → that workshop, custody-in', () => {
    expect(custodyOf(decide('return', actor('WORKSHOP', 'agent', 'W2'), device('DISTRIBUTED')))).toEqual({ custodian: 'W2', custodyIn: true });
  });
  it('return by a coordinator → the last workshop, custody-in', () => {
    expect(custodyOf(decide('return', actor('COORDINATOR', 'agent'), device('DISTRIBUTED', { lastWorkshopId: 'W7' })))).toEqual({
      custodian: 'W7',
      custodyIn: true,
    });
  });
  it('recycle → the recycler named in the payload', () => {
    const v = decide('recycle', actor('WORKSHOP', 'agent'), device('WIPED'), { ...GOOD_PAYLOAD, recyclerOrganizationId: 'R5' });
    expect(custodyOf(v)).toEqual({ custodian: 'R5', custodyIn: false });
  });
  it.each([
    ['wipe', 'COLLECTED', 'WORKSHOP', 'agent'],
    ['start_refurbish', 'WIPED', 'WORKSHOP', 'agent'],
    ['refurbish', 'REFURBISHING', 'WORKSHOP', 'agent'],
    ['publish', 'REFURBISHED', 'WORKSHOP', 'admin'],
    ['publish', 'REFURBISHED', 'COORDINATOR', 'agent'],
    ['reserve', 'AVAILABLE', 'CHARITY', 'agent'],
    ['release', 'RESERVED', 'CHARITY', 'agent'],
    ['release', 'RESERVED', 'COORDINATOR', 'admin'],
    ['dismantle', 'REFURBISHING', 'WORKSHOP', 'agent'],
  ] as [TransitionAction, DeviceStatus, OrganizationKind, Role][])('%s from %s by %s %s leaves custody unchanged', (action, status, kind, role) => {
    expect(custodyOf(decide(action, actor(kind, role), device(status)))).toEqual({ custodian: undefined, custodyIn: false });
  });
  it('custodyIn is true only for collect and return', () => {
    const withCustodyIn = new Set<TransitionAction>();
    for (const action of TRANSITION_ACTIONS)
      for (const status of DEVICE_STATUSES) {
        const v = decide(action, actor('COORDINATOR', 'admin'), device(status), { ...GOOD_PAYLOAD, override: true, reason: 'x', workshopOrganizationId: 'W2', charityOrganizationId: 'C2' });
        if (v.ok && v.custodyIn) withCustodyIn.add(action);
      }
    expect([...withCustodyIn].sort()).toEqual(['collect', 'return']);
  });
});

describe('system actor (reservation expiry)', () => {
  it('may release a reserved device', () => {
    expect(decide('release', SYSTEM_ACTOR, device('RESERVED'), { reason: 'expired' })).toMatchObject({ ok: true, to: 'AVAILABLE', overridden: false });
  });
  it('gets 409 when the device is no longer reserved (already released or distributed)', () => {
    for (const status of DEVICE_STATUSES.filter((s) => s !== 'RESERVED')) {
      expect([status, refusalOf(decide('release', SYSTEM_ACTOR, device(status), { reason: 'expired' }))]).toEqual([
        status,
        { status: 409, code: 'illegal-transition' },
      ]);
    }
  });
  it.each(TRANSITION_ACTIONS.filter((a) => a !== 'release'))('may not %s (403), from any status', (action) => {
    for (const status of DEVICE_STATUSES) {
      expect([status, refusalOf(decide(action, SYSTEM_ACTOR, device(status)))]).toEqual([status, { status: 403, code: 'forbidden-action' }]);
    }
  });
});

/* ========================================================================================== */

describe('invariant 1: no data leaves custody (erasure-missing, 422)', () => {
  const tech = actor('WORKSHOP', 'agent');
  const expectMissing = (v: Verdict, missing?: string[]) => {
    expect(refusalOf(v)).toEqual({ status: 422, code: 'erasure-missing' });
    if (missing && !v.ok) expect(v.refusal.missingMedia).toEqual(missing);
  };
  const twoDisks = { media: [{ serialNumber: 'DISK-A' }, { serialNumber: 'DISK-B' }] };

  // Every action whose target is AVAILABLE, RESERVED, DISTRIBUTED, RECYCLED or DISMANTLED, plus wipe itself.
  const GUARDED: [TransitionAction, DeviceStatus, Actor][] = [
    ['wipe', 'COLLECTED', tech],
    ['publish', 'REFURBISHED', actor('WORKSHOP', 'admin')],
    ['reserve', 'AVAILABLE', actor('CHARITY')],
    ['release', 'RESERVED', actor('CHARITY')],
    ['distribute', 'RESERVED', actor('CHARITY')],
    ['recycle', 'COLLECTED', tech],
    ['recycle', 'REFURBISHED', tech],
    ['dismantle', 'WIPED', tech],
    ['dismantle', 'REFURBISHING', tech],
  ];

  describe.each(GUARDED)('%s from %s', (action, status, who) => {
    it('two disks, only one erased → refused, naming the other disk', () => {
      expectMissing(decide(action, who, device(status, { ...twoDisks, erasures: [passed('DISK-A')] })), ['DISK-B']);
    });
    it('both disks erased → allowed', () => {
      expect(decide(action, who, device(status, { ...twoDisks, erasures: [passed('DISK-A'), passed('DISK-B')] })).ok).toBe(true);
    });
    it('erasure dated before the latest custody-in (device returned since) → refused', () => {
      expectMissing(decide(action, who, device(status, { custodyInAt: RETURNED_AT })), ['S3NDISK001']);
    });
    it('erasure ending exactly at the custody-in instant does not count (must be after)', () => {
      expectMissing(decide(action, who, device(status, { erasures: [passed('S3NDISK001', COLLECTED_AT)] })));
    });
    it('a FAILED erasure record → refused', () => {
      expectMissing(decide(action, who, device(status, { erasures: [passed('S3NDISK001', ERASED_AT, { result: 'FAILED' })] })));
    });
    it('a voided erasure record (failed independent re-check) → refused', () => {
      expectMissing(decide(action, who, device(status, { erasures: [passed('S3NDISK001', ERASED_AT, { voided: true })] })));
    });
    it('an erasure of another serial → refused', () => {
      expectMissing(decide(action, who, device(status, { erasures: [passed('S3NDISK002')] })));
    });
    it('a DESTROY record counts', () => {
      expect(decide(action, who, device(status, { erasures: [passed('S3NDISK001', ERASED_AT, { level: 'DESTROY' })] })).ok).toBe(true);
    });
    it('a CLEAR record counts (any PASSED level)', () => {
      expect(decide(action, who, device(status, { erasures: [passed('S3NDISK001', ERASED_AT, { level: 'CLEAR' })] })).ok).toBe(true);
    });
    it('serial matching ignores case and spaces', () => {
      const dev = device(status, { media: [{ serialNumber: 'WD-WCC4N 1234' }], erasures: [passed('  wd-wcc4n1234 ')] });
      expect(decide(action, who, dev).ok).toBe(true);
    });
    it('a FAILED record then a PASSED one after it → allowed; PASSED then voided → refused', () => {
      const later = new Date('2025-03-03T10:00:00Z');
      expect(
        decide(action, who, device(status, { erasures: [passed('S3NDISK001', ERASED_AT, { result: 'FAILED' }), passed('S3NDISK001', later)] })).ok,
      ).toBe(true);
      expectMissing(decide(action, who, device(status, { erasures: [passed('S3NDISK001', ERASED_AT, { voided: true })] })));
    });
    it('no known medium and no "no storage" statement → refused', () => {
      expectMissing(decide(action, who, device(status, { media: [], erasures: [] })), []);
    });
    it('no known medium, "no storage" stated before the latest custody-in → refused', () => {
      const dev = device(status, { media: [], erasures: [], noStorageDeclaredAt: ERASED_AT, custodyInAt: RETURNED_AT });
      // wipe {noStorage:true} itself states it anew: test the others with a plain payload
      expectMissing(decide(action, who, dev, { ...GOOD_PAYLOAD, noStorage: undefined }));
    });
    it('no known medium, "no storage" stated after the latest custody-in → allowed', () => {
      expect(decide(action, who, device(status, { media: [], erasures: [], noStorageDeclaredAt: ERASED_AT })).ok).toBe(true);
    });
    it('a coordinator override does not skip it', () => {
      const dirty = device(status, { ...twoDisks, erasures: [passed('DISK-A')] });
      expectMissing(decide(action, actor('COORDINATOR', 'admin'), dirty, { ...GOOD_PAYLOAD, override: true, reason: 'urgence', charityOrganizationId: 'C2' }), ['DISK-B']);
    });
  });

  describe('recycle {noStorage: true} from COLLECTED (a screen beyond repair)', () => {
    const recycle = { recyclerOrganizationId: 'R1', noStorage: true };
    it('is accepted on a device with no known medium, without a wipe first', () => {
      expect(decide('recycle', tech, device('COLLECTED', { media: [], erasures: [] }), recycle)).toMatchObject({ ok: true, to: 'RECYCLED' });
    });
    it('is refused on a device that has media, erased or not', () => {
      expectMissing(decide('recycle', tech, device('COLLECTED'), recycle), ['S3NDISK001']);
    });
    it('without the statement, a device with no known medium is refused', () => {
      expectMissing(decide('recycle', tech, device('COLLECTED', { media: [], erasures: [] }), { recyclerOrganizationId: 'R1' }), []);
    });
  });

  describe('wipe {noStorage: true}', () => {
    it('is accepted on a device with no known medium', () => {
      expect(decide('wipe', tech, device('COLLECTED', { media: [], erasures: [] }), { noStorage: true })).toMatchObject({ ok: true, to: 'WIPED' });
    });
    it('is accepted on a returned device with no medium, even if the old statement predates the return', () => {
      const dev = device('COLLECTED', { media: [], erasures: [], noStorageDeclaredAt: ERASED_AT, custodyInAt: RETURNED_AT });
      expect(decide('wipe', tech, dev, { noStorage: true }).ok).toBe(true);
    });
    it('is refused on a device that has media, even if they are all erased', () => {
      expectMissing(decide('wipe', tech, device('COLLECTED'), { noStorage: true }), ['S3NDISK001']);
    });
    it('is refused on a device that has media, even with a coordinator override', () => {
      expectMissing(decide('wipe', actor('COORDINATOR', 'admin'), device('COLLECTED', { erasures: [] }), { noStorage: true, override: true, reason: 'x' }));
    });
  });

  it('actions not listed by invariant 1 do not need erasure (collect, start_refurbish, refurbish, return)', () => {
    const dirty = { erasures: [] as ErasureFact[] };
    expect(decide('collect', tech, device('REGISTERED', dirty)).ok).toBe(true);
    expect(decide('start_refurbish', tech, device('WIPED', dirty)).ok).toBe(true);
    expect(decide('refurbish', tech, device('REFURBISHING', dirty)).ok).toBe(true);
    expect(decide('return', tech, device('DISTRIBUTED', dirty)).ok).toBe(true);
  });
});

describe('price cap (invariant 6)', () => {
  const cases: [TransitionAction, DeviceStatus, Actor][] = [
    ['publish', 'REFURBISHED', actor('WORKSHOP', 'admin')],
    ['publish', 'REFURBISHED', actor('COORDINATOR', 'agent')],
    ['distribute', 'RESERVED', actor('CHARITY', 'agent')],
  ];
  describe.each(cases)('%s from %s by %s', (action, status, who) => {
    const withPrice = (priceCents: number, cap = 18000) => decide(action, who, device(status), { ...GOOD_PAYLOAD, priceCents }, { ...GOOD_FACTS, priceCapCents: cap });
    it('above the cap → 422 price-above-cap', () => {
      expect(refusalOf(withPrice(18001))).toEqual({ status: 422, code: 'price-above-cap' });
      expect(refusalOf(withPrice(3001, 3000))).toEqual({ status: 422, code: 'price-above-cap' });
    });
    it('equal to the cap → allowed', () => {
      expect(withPrice(18000).ok).toBe(true);
    });
    it('zero (free) → allowed', () => {
      expect(withPrice(0).ok).toBe(true);
    });
    it('negative or fractional cents → refused', () => {
      expect(refusalOf(withPrice(-1))).toEqual({ status: 422, code: 'price-above-cap' });
      expect(refusalOf(withPrice(100.5))).toEqual({ status: 422, code: 'price-above-cap' });
    });
  });
  it.each(cases)('%s without a price, or without the cap loaded → 422 (fails closed)', (action, status, who) => {
    expect(refusalOf(decide(action, who, device(status), { ...GOOD_PAYLOAD, priceCents: undefined }))).toEqual({ status: 422, code: 'price-above-cap' });
    expect(refusalOf(decide(action, who, device(status), { ...GOOD_PAYLOAD, priceCents: null as unknown as number }))).toEqual({ status: 422, code: 'price-above-cap' });
    expect(refusalOf(decide(action, who, device(status), GOOD_PAYLOAD, { ...GOOD_FACTS, priceCapCents: undefined }))).toEqual({ status: 422, code: 'price-above-cap' });
  });
  it('the message quotes the price and the cap in euros', () => {
    const v = decide('publish', actor('WORKSHOP', 'admin'), device('REFURBISHED'), { priceCents: 18050 }, { priceCapCents: 18000 });
    expect(!v.ok && v.refusal.detail).toContain('180,50 €');
    expect(!v.ok && v.refusal.detail).toContain('180,00 €');
  });
});

describe('refurbish checklist', () => {
  const tech = actor('WORKSHOP', 'agent');
  const refurbish = (type: DeviceType, payload: TransitionPayload) => decide('refurbish', tech, device('REFURBISHING', { type }), payload);
  const full = { grade: 'B' as const, checklist: { boot: true, screen: true, keyboard: true }, os: 'Linux Mint 22', batteryHealthPct: 80 };

  it('full checklist and battery health → REFURBISHED', () => {
    expect(refurbish('LAPTOP', full)).toMatchObject({ ok: true, to: 'REFURBISHED' });
  });
  it.each([
    ['missing', undefined],
    ['empty', {}],
    ['one false', { boot: true, screen: false, keyboard: true }],
    ['all false', { boot: false }],
  ])('checklist %s → 422 checklist-incomplete', (_, checklist) => {
    expect(refusalOf(refurbish('LAPTOP', { ...full, checklist: checklist as Record<string, boolean> | undefined }))).toEqual({
      status: 422,
      code: 'checklist-incomplete',
    });
  });
  it('a non-boolean truthy value does not count as passed', () => {
    expect(refusalOf(refurbish('DESKTOP', { ...full, checklist: { boot: 'yes' as unknown as boolean } }))).toEqual({ status: 422, code: 'checklist-incomplete' });
  });
  it('the detail names the failed checks', () => {
    const v = refurbish('LAPTOP', { ...full, checklist: { boot: true, wifi: false, camera: false } });
    expect(!v.ok && v.refusal.detail).toMatch(/wifi.*camera/);
  });
  it.each(['LAPTOP', 'SMARTPHONE', 'TABLET'] as DeviceType[])('%s: battery health required', (type) => {
    expect(refusalOf(refurbish(type, { ...full, batteryHealthPct: undefined }))).toEqual({ status: 422, code: 'checklist-incomplete' });
    expect(refusalOf(refurbish(type, { ...full, batteryHealthPct: null as unknown as number }))).toEqual({ status: 422, code: 'checklist-incomplete' });
    expect(refurbish(type, { ...full, batteryHealthPct: 0 }).ok).toBe(true);
  });
  it.each(['DESKTOP', 'MONITOR', 'PRINTER', 'MFP', 'OTHER'] as DeviceType[])('%s: battery health not required', (type) => {
    expect(refurbish(type, { ...full, batteryHealthPct: undefined }).ok).toBe(true);
  });
  // DOMAIN.md refurbish: "OS installed", for what runs one.
  it.each(['LAPTOP', 'DESKTOP', 'SMARTPHONE', 'TABLET'] as DeviceType[])('%s: an installed OS required', (type) => {
    for (const os of [undefined, '', '   ', null as unknown as string]) {
      const v = refurbish(type, { ...full, os });
      expect(refusalOf(v)).toEqual({ status: 422, code: 'checklist-incomplete' });
      expect(!v.ok && v.refusal.detail).toMatch(/système d'exploitation installé \(os\)/);
    }
  });
  // One refusal names everything missing, so the technician completes the form once.
  it.each([
    ['LAPTOP', { ...full, os: undefined, batteryHealthPct: undefined }, [/batterie \(batteryHealthPct/, /système d'exploitation installé \(os\)/, /ordinateur portable/]],
    ['SMARTPHONE', { ...full, checklist: { screen: false }, batteryHealthPct: undefined }, [/tests non réussis : screen/, /batterie \(batteryHealthPct/]],
    ['DESKTOP', { ...full, checklist: {}, os: ' ' }, [/checklist\) est vide/, /système d'exploitation installé \(os\)/]],
  ] as [DeviceType, TransitionPayload, RegExp[]][])('%s: the detail lists every missing item', (type, payload, parts) => {
    const v = refurbish(type, payload);
    expect(refusalOf(v)).toEqual({ status: 422, code: 'checklist-incomplete' });
    for (const part of parts) expect(!v.ok && v.refusal.detail).toMatch(part);
  });
  it('a desktop is not asked for a battery', () => {
    const v = refurbish('DESKTOP', { ...full, os: undefined, batteryHealthPct: undefined });
    expect(!v.ok && v.refusal.detail).not.toMatch(/batterie/);
  });
  it.each(['MONITOR', 'PRINTER', 'MFP', 'OTHER'] as DeviceType[])('%s: no OS required', (type) => {
    expect(refurbish(type, { ...full, os: undefined }).ok).toBe(true);
  });
});

describe('recycler', () => {
  const tech = actor('WORKSHOP', 'agent');
  const recycle = (recycler: GuardFacts['recycler']) => decide('recycle', tech, device('COLLECTED'), GOOD_PAYLOAD, { recycler });

  it('a RECYCLER of the same territory → RECYCLED', () => {
    expect(recycle({ kind: 'RECYCLER', territoryId: T1 })).toMatchObject({ ok: true, to: 'RECYCLED', custodianOrganizationId: 'R1' });
  });
  it.each([
    ['unknown organisation', null],
    ['not loaded', undefined],
    ['a RECYCLER of another territory', { kind: 'RECYCLER', territoryId: 'T9' }],
    ['a WORKSHOP', { kind: 'WORKSHOP', territoryId: T1 }],
    ['a CHARITY', { kind: 'CHARITY', territoryId: T1 }],
  ])('%s → 422 invalid-recycler', (_, recycler) => {
    expect(refusalOf(recycle(recycler as GuardFacts['recycler']))).toEqual({ status: 422, code: 'invalid-recycler' });
  });
  it('a valid recycler does not excuse unerased storage', () => {
    const v = decide('recycle', tech, device('COLLECTED', { erasures: [] }), GOOD_PAYLOAD, GOOD_FACTS);
    expect(refusalOf(v)).toEqual({ status: 422, code: 'erasure-missing' });
  });
});
