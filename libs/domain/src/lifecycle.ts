import { checkDataInvariant, CustodyFacts, mediaInDevice } from './erasure-invariant';
import { isWithinCap } from './price-caps';
import { DEVICE_TYPE_LABELS_FR, DeviceStatus, DeviceType, Grade, OrganizationKind, Role, STATUS_LABELS_FR } from './vocabulary';

export const TRANSITION_ACTIONS = [
  'collect',
  'wipe',
  'start_refurbish',
  'refurbish',
  'publish',
  'reserve',
  'release',
  'distribute',
  'return',
  'recycle',
  'dismantle',
] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];
export type LifecycleAction = 'register' | TransitionAction;

/**
 * How the acting organisation must relate to the device:
 * - `territory`: any organisation of the device's territory (collect, reserve, coordinators);
 * - `custodian`: the organisation that holds the device now;
 * - `reserver`: the charity holding the active reservation.
 */
export type Relation = 'territory' | 'custodian' | 'reserver';

export interface ActorRule {
  kind: OrganizationKind;
  roles: readonly Role[];
  relation: Relation;
}

/** What happens to custody (invariant 2: custody changes only through these). */
export type CustodyChange = 'none' | 'to-acting-organization' | 'to-reserver' | 'to-recycler' | 'to-returning-workshop';

export interface ActionRule {
  from: readonly DeviceStatus[];
  to: DeviceStatus;
  actors: readonly ActorRule[];
  /** The system (reservation expiry) may perform it. */
  system?: boolean;
  custody: CustodyChange;
  /** Entering workshop custody: later erasures must postdate this moment. */
  custodyIn?: boolean;
  /** Payload checks that depend on device facts, evaluated in this order. */
  guards: readonly GuardName[];
}

export type GuardName = 'erasure' | 'price-cap' | 'refurbish-checklist' | 'recycler' | 'acting-for';

const WORKING = ['admin', 'agent'] as const;
const workshopHolding: ActorRule = { kind: 'WORKSHOP', roles: WORKING, relation: 'custodian' };
const coordinator: ActorRule = { kind: 'COORDINATOR', roles: WORKING, relation: 'territory' };

/** DOMAIN.md "Device lifecycle", as one table. The API, the worker and the scan page all read it. */
export const LIFECYCLE: Record<TransitionAction, ActionRule> = {
  collect: {
    from: ['REGISTERED'],
    to: 'COLLECTED',
    actors: [{ kind: 'WORKSHOP', roles: WORKING, relation: 'territory' }],
    // The acting workshop, or the one a coordinator forcing it names (ACTING_FOR).
    custody: 'to-acting-organization',
    custodyIn: true,
    guards: ['acting-for'],
  },
  wipe: { from: ['COLLECTED'], to: 'WIPED', actors: [workshopHolding], custody: 'none', guards: ['erasure'] },
  start_refurbish: { from: ['WIPED'], to: 'REFURBISHING', actors: [workshopHolding], custody: 'none', guards: [] },
  refurbish: {
    from: ['REFURBISHING'],
    to: 'REFURBISHED',
    actors: [workshopHolding],
    custody: 'none',
    guards: ['refurbish-checklist'],
  },
  publish: {
    from: ['REFURBISHED'],
    to: 'AVAILABLE',
    actors: [{ kind: 'WORKSHOP', roles: ['admin'], relation: 'custodian' }, coordinator],
    custody: 'none',
    guards: ['erasure', 'price-cap'],
  },
  reserve: {
    from: ['AVAILABLE'],
    to: 'RESERVED',
    actors: [{ kind: 'CHARITY', roles: WORKING, relation: 'territory' }],
    custody: 'none',
    // The reservation is the acting charity's, or the one a coordinator forcing it names (ACTING_FOR).
    guards: ['acting-for', 'erasure'],
  },
  release: {
    from: ['RESERVED'],
    to: 'AVAILABLE',
    actors: [{ kind: 'CHARITY', roles: WORKING, relation: 'reserver' }, coordinator],
    system: true,
    custody: 'none',
    guards: ['erasure'],
  },
  distribute: {
    from: ['RESERVED'],
    to: 'DISTRIBUTED',
    actors: [{ kind: 'CHARITY', roles: WORKING, relation: 'reserver' }],
    // The reserving charity hands the device over, even when a coordinator forces it.
    custody: 'to-reserver',
    guards: ['erasure', 'price-cap'],
  },
  return: {
    from: ['DISTRIBUTED'],
    to: 'COLLECTED',
    actors: [{ kind: 'WORKSHOP', roles: WORKING, relation: 'territory' }, coordinator],
    custody: 'to-returning-workshop',
    custodyIn: true,
    guards: [],
  },
  recycle: {
    from: ['COLLECTED', 'WIPED', 'REFURBISHING', 'REFURBISHED'],
    to: 'RECYCLED',
    actors: [workshopHolding],
    custody: 'to-recycler',
    guards: ['recycler', 'erasure'],
  },
  dismantle: { from: ['WIPED', 'REFURBISHING'], to: 'DISMANTLED', actors: [workshopHolding], custody: 'none', guards: ['erasure'] },
};

/**
 * Actions done for an organisation of a given kind: the actor's own if it is of that kind;
 * a coordinator forcing the action names it in the payload. Custody (collect) or the
 * reservation (reserve) never goes to the coordination: it could not record erasures, and a
 * reservation is a charity's, counted in its quota.
 */
export const ACTING_FOR: Partial<Record<TransitionAction, { kind: OrganizationKind; field: 'workshopOrganizationId' | 'charityOrganizationId' }>> = {
  collect: { kind: 'WORKSHOP', field: 'workshopOrganizationId' },
  reserve: { kind: 'CHARITY', field: 'charityOrganizationId' },
};

/** The organisation `action` is done for (see ACTING_FOR); undefined if the payload does not name one. */
export function actingOrganization(action: TransitionAction, actor: Actor | typeof SYSTEM_ACTOR, payload: TransitionPayload): string | undefined {
  const spec = ACTING_FOR[action];
  if (!spec || actor === SYSTEM_ACTOR) return undefined;
  return actor.kind === spec.kind ? actor.organizationId : payload[spec.field];
}

/** Device types whose battery health must be measured at refurbish. */
export const BATTERY_TYPES: readonly DeviceType[] = ['LAPTOP', 'SMARTPHONE', 'TABLET'];

/** Device types handed over with an operating system installed (DOMAIN.md `refurbish`: "OS installed"). */
export const OS_TYPES: readonly DeviceType[] = ['LAPTOP', 'DESKTOP', 'SMARTPHONE', 'TABLET'];

export interface Actor {
  organizationId: string;
  kind: OrganizationKind;
  role: Role;
  territoryId: string;
}
export const SYSTEM_ACTOR = 'system' as const;

export interface DeviceFacts extends CustodyFacts {
  type: DeviceType;
  status: DeviceStatus;
  territoryId: string;
  custodianOrganizationId: string | null;
  reservedByOrganizationId: string | null;
  /** The workshop that last held the device, where a coordinator's `return` sends it. */
  lastWorkshopId: string | null;
}

export interface TransitionPayload {
  override?: boolean;
  reason?: string;
  noStorage?: boolean;
  grade?: Grade;
  checklist?: Record<string, boolean>;
  os?: string;
  batteryHealthPct?: number;
  priceCents?: number;
  recyclerOrganizationId?: string;
  workshopOrganizationId?: string;
  charityOrganizationId?: string;
  [key: string]: unknown;
}

/** Facts the use case loads for the guards that need them. */
export interface GuardFacts {
  priceCapCents?: number;
  recycler?: { kind: OrganizationKind; territoryId: string } | null;
  /** The organisation a forced collect or reserve names (ACTING_FOR). */
  actingFor?: { kind: OrganizationKind; territoryId: string } | null;
}

export type RefusalCode =
  | 'forbidden-action'
  | 'illegal-transition'
  | 'reserved-by-another'
  | 'erasure-missing'
  | 'price-above-cap'
  | 'checklist-incomplete'
  | 'invalid-recycler'
  | 'invalid-workshop'
  | 'invalid-charity'
  | 'override-reason-required';

export interface Refusal {
  code: RefusalCode;
  status: 403 | 409 | 422;
  title: string;
  detail: string;
  missingMedia?: string[];
}

export interface Decision {
  ok: true;
  from: DeviceStatus;
  to: DeviceStatus;
  /** The new custodian, or undefined when custody does not change. */
  custodianOrganizationId?: string;
  custodyIn: boolean;
  overridden: boolean;
}

export type Verdict = Decision | { ok: false; refusal: Refusal };

const refuse = (r: Refusal): Verdict => ({ ok: false, refusal: r });

export function relationHolds(rule: ActorRule, actor: Actor, device: Pick<DeviceFacts, 'territoryId' | 'custodianOrganizationId' | 'reservedByOrganizationId'>): boolean {
  if (actor.territoryId !== device.territoryId) return false;
  if (rule.relation === 'custodian') return device.custodianOrganizationId === actor.organizationId;
  if (rule.relation === 'reserver') return device.reservedByOrganizationId === actor.organizationId;
  return true;
}

/** Is this kind and role ever allowed to perform the action (before looking at any device)? */
export function mayEverPerform(action: TransitionAction, actor: Pick<Actor, 'kind' | 'role'>, override = false): boolean {
  if (override && actor.kind === 'COORDINATOR' && actor.role !== 'viewer') return true;
  return LIFECYCLE[action].actors.some((r) => r.kind === actor.kind && r.roles.includes(actor.role));
}

const WHO_FR: Record<OrganizationKind, string> = {
  DONOR: 'le donateur',
  WORKSHOP: 'un atelier',
  CHARITY: 'une association partenaire',
  COORDINATOR: 'la coordination',
  RECYCLER: 'un recycleur',
};
const RELATION_FR: Record<Relation, string> = { territory: '', custodian: ' qui a le matériel', reserver: ' qui l’a réservé' };

/** Who may do `action`, in French, from the table: « un atelier qui a le matériel (administrateur), la coordination ». */
export function whoMayPerform(action: TransitionAction): string {
  const who = LIFECYCLE[action].actors.map((r) => `${WHO_FR[r.kind]}${RELATION_FR[r.relation]}${r.roles.length === 1 && r.roles[0] === 'admin' ? ' (administrateur)' : ''}`);
  if (!LIFECYCLE[action].actors.some((r) => r.kind === 'COORDINATOR')) who.push('la coordination en forçant l’action (override, avec un motif)');
  return who.join(', ');
}

/** The 403 of an action a caller's kind or role never performs, saying who does. */
export function forbiddenActionDetail(action: TransitionAction): string {
  return `Votre organisation ou votre rôle ne permet pas l'action « ${action} ». Elle revient à : ${whoMayPerform(action)}.`;
}

/** The 409 of an action from a status it does not start from: the status in words, and where it starts. */
function illegalTransitionDetail(action: TransitionAction, status: DeviceStatus): string {
  const rule = LIFECYCLE[action];
  const now = `« ${STATUS_LABELS_FR[status]} » (${status})`;
  if (rule.to === status) return `Rien à faire : le matériel est déjà au statut ${now}.`;
  const from = rule.from.map((s) => `« ${STATUS_LABELS_FR[s]} » (${s})`).join(', ');
  return `L'action « ${action} » n'est pas possible : le matériel est au statut ${now}, et elle se fait depuis ${from}.${nextStepHint(action, status)}`;
}

/**
 * What to do first, when one action of the table leads from the current status to where `action`
 * starts (wipe on a REGISTERED device: collect first). A hand-over on a device no longer reserved
 * says the reservation may have lapsed: the volunteer in front of the beneficiary reserves again.
 */
function nextStepHint(action: TransitionAction, status: DeviceStatus): string {
  const rule = LIFECYCLE[action];
  const first = TRANSITION_ACTIONS.filter((a) => LIFECYCLE[a].from.includes(status) && rule.from.includes(LIFECYCLE[a].to));
  if (first.length === 0) return '';
  if (action === 'distribute' && status === 'AVAILABLE') return ' La réservation a pu expirer ou être libérée : réservez-le à nouveau (« reserve ») avant de le remettre.';
  return ` Action attendue d'abord : ${first.map((a) => `« ${a} »`).join(' ou ')}.`;
}

/** The 409 of a device reserved by another charity, saying what the caller can do instead. */
function reservedByAnotherDetail(action: TransitionAction): string {
  return action === 'reserve'
    ? 'Ce matériel est déjà réservé par un autre partenaire : choisissez-en un autre dans le catalogue.'
    : 'Ce matériel est réservé par un autre partenaire : seul ce partenaire, ou la coordination, peut le remettre ou le libérer. Vérifiez le code du matériel.';
}

/**
 * The single decision for every lifecycle change: who, from which status, with which facts.
 * Order of checks: caller allowed at all (403) → status (409) → relation to the device (403)
 * → guards (422). A coordinator with `override` and a reason skips only the "who" checks:
 * never the status machine, the data invariant or the price cap.
 */
export function decideTransition(
  action: TransitionAction,
  actor: Actor | typeof SYSTEM_ACTOR,
  device: DeviceFacts,
  payload: TransitionPayload,
  facts: GuardFacts = {},
): Verdict {
  const rule = LIFECYCLE[action];
  const isSystem = actor === SYSTEM_ACTOR;
  const override = !isSystem && payload.override === true && actor.kind === 'COORDINATOR' && actor.role !== 'viewer';

  if (!isSystem && payload.override === true && !override) {
    return refuse({ code: 'forbidden-action', status: 403, title: 'Action non autorisée', detail: 'Seul un coordinateur peut forcer une action (override).' });
  }
  if (override && !(payload.reason ?? '').trim()) {
    return refuse({ code: 'override-reason-required', status: 422, title: 'Motif obligatoire', detail: 'Une action forcée (override) doit être motivée par écrit (reason).' });
  }
  if (isSystem ? !rule.system : !override && !mayEverPerform(action, actor)) {
    return refuse({ code: 'forbidden-action', status: 403, title: 'Action non autorisée', detail: forbiddenActionDetail(action) });
  }

  if (!rule.from.includes(device.status)) {
    const reservedByOther =
      !isSystem && device.status === 'RESERVED' && device.reservedByOrganizationId !== actor.organizationId && ['reserve', 'release', 'distribute'].includes(action);
    if (reservedByOther) {
      return refuse({ code: 'reserved-by-another', status: 409, title: 'Déjà réservé', detail: reservedByAnotherDetail(action) });
    }
    return refuse({
      code: 'illegal-transition',
      status: 409,
      title: 'Transition impossible',
      detail: illegalTransitionDetail(action, device.status),
    });
  }

  if (!isSystem && !override) {
    const rules = rule.actors.filter((r) => r.kind === actor.kind && r.roles.includes(actor.role));
    if (!rules.some((r) => relationHolds(r, actor, device))) {
      // Another territory is a 403 whatever the relation: "reserved by another" is for neighbours only.
      if (actor.territoryId === device.territoryId && rules.some((r) => r.relation === 'reserver')) {
        return refuse({ code: 'reserved-by-another', status: 409, title: 'Déjà réservé', detail: reservedByAnotherDetail(action) });
      }
      return refuse({
        code: 'forbidden-action',
        status: 403,
        title: 'Action non autorisée',
        detail: actor.territoryId === device.territoryId && rules.some((r) => r.relation === 'custodian')
          ? "Ce matériel n'est pas sous la garde de votre organisation."
          : "Ce matériel n'est pas sur votre territoire.",
      });
    }
  }

  for (const guard of rule.guards) {
    const refusal = GUARDS[guard](action, device, payload, facts, actor);
    if (refusal) return refuse(refusal);
  }

  return {
    ok: true,
    from: device.status,
    to: rule.to,
    custodianOrganizationId: newCustodian(action, rule.custody, actor, device, payload),
    custodyIn: rule.custodyIn === true,
    overridden: override,
  };
}

function newCustodian(action: TransitionAction, change: CustodyChange, actor: Actor | typeof SYSTEM_ACTOR, device: DeviceFacts, payload: TransitionPayload): string | undefined {
  switch (change) {
    case 'none':
      return undefined;
    case 'to-recycler':
      return payload.recyclerOrganizationId;
    case 'to-acting-organization':
      return actingOrganization(action, actor, payload);
    case 'to-reserver':
      return device.reservedByOrganizationId ?? undefined;
    case 'to-returning-workshop':
      if (actor !== SYSTEM_ACTOR && actor.kind === 'WORKSHOP') return actor.organizationId;
      return device.lastWorkshopId ?? undefined;
  }
}

type Guard = (action: TransitionAction, device: DeviceFacts, payload: TransitionPayload, facts: GuardFacts, actor: Actor | typeof SYSTEM_ACTOR) => Refusal | null;

/**
 * Where a technician may state that a device has no storage (`noStorage: true`): its wipe, or its
 * recycling straight from COLLECTED (a screen or a printer that is beyond repair need not be
 * « wiped » first to go to the recycler).
 */
export const DECLARES_NO_STORAGE: ReadonlySet<TransitionAction> = new Set<TransitionAction>(['wipe', 'recycle']);

const GUARDS: Record<GuardName, Guard> = {
  erasure(action, device, payload) {
    if (DECLARES_NO_STORAGE.has(action) && payload.noStorage === true) {
      const media = mediaInDevice(device);
      if (media.length === 0) return null;
      return {
        code: 'erasure-missing',
        status: 422,
        title: 'Effacement des données non prouvé',
        detail: `Ce matériel a ${media.length} support(s) de stockage connu(s) : « sans stockage » ne peut pas être déclaré.`,
        missingMedia: media.map((m) => m.serialNumber),
      };
    }
    const verdict = checkDataInvariant(device);
    if (verdict.ok) return null;
    return { code: 'erasure-missing', status: 422, title: 'Effacement des données non prouvé', detail: verdict.detail, missingMedia: verdict.missing };
  },
  'price-cap'(action, device, payload, facts) {
    const price = payload.priceCents;
    const cap = facts.priceCapCents;
    // Fail closed (invariant 6): no price, or no cap loaded, proves nothing.
    if (typeof price !== 'number' || typeof cap !== 'number') {
      return {
        code: 'price-above-cap',
        status: 422,
        title: 'Prix au-dessus du plafond',
        detail: typeof price !== 'number' ? 'Le prix solidaire (priceCents) est obligatoire.' : "Le plafond légal de ce type de matériel n'est pas connu.",
      };
    }
    if (isWithinCap(price, cap)) return null;
    return {
      code: 'price-above-cap',
      status: 422,
      title: 'Prix au-dessus du plafond',
      detail: `Le prix solidaire (${formatEuros(price)}) dépasse le plafond en vigueur de ${formatEuros(cap)} pour ce type de matériel (plafond légal, ou plus bas s'il a été fixé par la coordination) : baissez le prix.`,
    };
  },
  'refurbish-checklist'(action, device, payload) {
    // Everything missing at once: a technician in gloves fixes the form once, not field by field.
    const failed = Object.entries(payload.checklist ?? {}).filter(([, ok]) => ok !== true).map(([k]) => k);
    const missing: string[] = [];
    if (failed.length > 0) missing.push(`tests non réussis : ${failed.join(', ')}`);
    else if (Object.keys(payload.checklist ?? {}).length === 0) missing.push('la liste des tests fonctionnels (checklist) est vide');
    // JSON may carry `null`: only a number is a measured battery health.
    if (BATTERY_TYPES.includes(device.type) && typeof payload.batteryHealthPct !== 'number') missing.push("l'état de la batterie (batteryHealthPct, en %) manque");
    if (OS_TYPES.includes(device.type) && (typeof payload.os !== 'string' || payload.os.trim() === '')) {
      missing.push("le système d'exploitation installé (os) manque, par exemple « Linux Mint 22 » ou « Android 14 »");
    }
    if (missing.length === 0) return null;
    const sentence = missing.join(' ; ');
    return {
      code: 'checklist-incomplete',
      status: 422,
      title: 'Tests fonctionnels incomplets',
      detail: `Reconditionnement (${DEVICE_TYPE_LABELS_FR[device.type].toLowerCase()}) non enregistré : ${sentence}. Complétez et renvoyez.`,
    };
  },
  recycler(action, device, payload, facts) {
    const r = facts.recycler;
    if (r && r.kind === 'RECYCLER' && r.territoryId === device.territoryId) return null;
    return { code: 'invalid-recycler', status: 422, title: 'Recycleur inconnu', detail: "recyclerOrganizationId doit désigner une organisation de recyclage (RECYCLER) de votre territoire." };
  },
  'acting-for'(action, device, payload, facts, actor) {
    const spec = ACTING_FOR[action]!;
    const named = payload[spec.field];
    const what = spec.kind === 'WORKSHOP' ? { code: 'invalid-workshop' as const, org: 'un atelier (WORKSHOP)', verb: 'prendre le matériel en charge' } : { code: 'invalid-charity' as const, org: 'une association partenaire (CHARITY)', verb: 'réserver le matériel' };
    if (actor !== SYSTEM_ACTOR && actor.kind === spec.kind) {
      if (named === undefined || named === actor.organizationId) return null;
      return { code: what.code, status: 422, title: 'Organisation incorrecte', detail: `Votre organisation agit pour elle-même : retirez ${spec.field}.` };
    }
    const o = facts.actingFor;
    if (named !== undefined && o && o.kind === spec.kind && o.territoryId === device.territoryId) return null;
    return { code: what.code, status: 422, title: 'Organisation à préciser', detail: `Pour ${what.verb} au nom d'une organisation, indiquez ${spec.field} : ${what.org} de votre territoire.` };
  },
};

export function formatEuros(cents: number): string {
  return `${(cents / 100).toFixed(2).replace('.', ',')} €`;
}

export interface ScanActions {
  /** What this actor may do now. */
  allowed: TransitionAction[];
  /** What the table lets this actor do from this status but the data invariant refuses now, with why. */
  blocked: { action: TransitionAction; refusal: Refusal }[];
}

/**
 * The scan screen's actions: those the table allows this actor from the device's status, split
 * by the data invariant (known from the device's facts alone), so the screen never offers a
 * button that will answer 422. Guards that need the payload (price, checklist, recycler) are
 * left to the transition itself. A device with no known medium can still be wiped ("no storage").
 */
export function scanActions(actor: Actor, device: DeviceFacts): ScanActions {
  const result: ScanActions = { allowed: [], blocked: [] };
  for (const action of TRANSITION_ACTIONS) {
    const rule = LIFECYCLE[action];
    if (!rule.from.includes(device.status)) continue;
    if (!rule.actors.some((r) => r.kind === actor.kind && r.roles.includes(actor.role) && relationHolds(r, actor, device))) continue;
    // A device with no known medium passes with `noStorage: true` where the action takes it.
    const statesNoStorage = DECLARES_NO_STORAGE.has(action) && mediaInDevice(device).length === 0;
    const refusal = rule.guards.includes('erasure') && !statesNoStorage ? GUARDS.erasure(action, device, {}, {}, actor) : null;
    if (refusal) result.blocked.push({ action, refusal });
    else result.allowed.push(action);
  }
  return result;
}

/** Actions this actor may perform now on this device (the scan screen). */
export function allowedActions(actor: Actor, device: DeviceFacts): TransitionAction[] {
  return scanActions(actor, device).allowed;
}
