import { DeviceInput, normalizeSerial, OrganizationKind, Role } from '@renum/domain';
import { IdentityService, Principal } from '@renum/identity';
import { DeviceAccess, DeviceRegistry, ErasureFacts, ErasureRecorder, requestFingerprint, TransitionService } from '@renum/lifecycle';
import { DonationService } from '@renum/intake';
import { DataSource, EntityManager } from 'typeorm';

export const DEMO_TERRITORY = 'Métropole de Démo';
export const DEMO_PASSWORD = 'renum-demo-2026';
export const DEMO_DONATION_REFERENCE = 'DON-DEMO-2026-001';

/** One organisation of each kind, one user each (README "Demo logins" lists them). */
export const DEMO_ORGANIZATIONS: { name: string; kind: OrganizationKind; email: string; role: Role }[] = [
  { name: 'Coordination Renum Démo', kind: 'COORDINATOR', email: 'coordination@demo.renum.fr', role: 'admin' },
  { name: 'Mairie de Démo-sur-Rhône', kind: 'DONOR', email: 'mairie@demo.renum.fr', role: 'agent' },
  { name: 'Atelier Solidaire Démo', kind: 'WORKSHOP', email: 'atelier@demo.renum.fr', role: 'agent' },
  { name: 'Association Entraide Démo', kind: 'CHARITY', email: 'association@demo.renum.fr', role: 'agent' },
  { name: 'Recyclerie DEEE Démo', kind: 'RECYCLER', email: 'recyclerie@demo.renum.fr', role: 'agent' },
];

type DemoStage = 'REGISTERED' | 'COLLECTED' | 'REFURBISHED' | 'AVAILABLE' | 'RECYCLED';

interface DemoDevice {
  input: DeviceInput;
  /** Where the demo leaves it. */
  stage: DemoStage;
  grade?: 'A' | 'B' | 'C';
  priceCents?: number;
  /** How its media are erased (or destroyed) on the way. */
  erasure?: Pick<ErasureFacts, 'level' | 'method' | 'tool' | 'toolVersion'>;
}

const NVME_SANITIZE = { level: 'PURGE', method: 'NVMe Sanitize (block erase)', tool: 'nvme-cli', toolVersion: '2.8' } as const;
const ATA_SECURE_ERASE = { level: 'PURGE', method: 'ATA Secure Erase', tool: 'hdparm', toolVersion: '9.65' } as const;
const CRYPTO_ERASE = { level: 'PURGE', method: 'Cryptographic erase (encrypted factory reset)', tool: 'Android recovery', toolVersion: '13' } as const;
const SHREDDING = { level: 'DESTROY', method: 'Shredding', tool: 'Broyeur DEEE', toolVersion: undefined } as const;

/**
 * The demo donation of the Mairie, its devices left where each demo login has something to do:
 * the donor follows its donation, the workshop collects the REGISTERED ones and erases the
 * COLLECTED one, the coordinator publishes the REFURBISHED one, the charity reserves from the
 * catalogue (AVAILABLE), the recycler sees the old desktop it received.
 */
export const DEMO_DEVICES: DemoDevice[] = [
  { stage: 'AVAILABLE', grade: 'A', priceCents: 9000, erasure: NVME_SANITIZE, input: { type: 'LAPTOP', brand: 'Dell', model: 'Latitude 5490', serialNumber: 'DEMO5490A1', inventoryNumber: 'MDR-2019-0142', acquisitionDate: '2019-04-15', estimatedValueCents: 15000, weightKg: 1.6, media: [{ kind: 'NVME', serialNumber: 'DEMO-NVME-5490A1', model: 'Toshiba KBG30ZMS256G', capacityGb: 256 }] } },
  { stage: 'AVAILABLE', grade: 'B', priceCents: 7500, erasure: ATA_SECURE_ERASE, input: { type: 'LAPTOP', brand: 'Lenovo', model: 'ThinkPad T480', serialNumber: 'DEMOT480B2', inventoryNumber: 'MDR-2019-0178', acquisitionDate: '2019-09-02', estimatedValueCents: 14000, weightKg: 1.6, media: [{ kind: 'SSD', serialNumber: 'DEMO-SSD-T480B2', model: 'Samsung PM871b', capacityGb: 256 }] } },
  { stage: 'AVAILABLE', grade: 'B', priceCents: 4500, erasure: CRYPTO_ERASE, input: { type: 'SMARTPHONE', brand: 'Samsung', model: 'Galaxy A52', serialNumber: 'DEMOA52C3', inventoryNumber: 'MDR-2021-0311', acquisitionDate: '2021-06-10', estimatedValueCents: 9000, weightKg: 0.19, media: [{ kind: 'FLASH', serialNumber: 'DEMO-UFS-A52C3', capacityGb: 128 }] } },
  { stage: 'REFURBISHED', grade: 'A', erasure: ATA_SECURE_ERASE, input: { type: 'DESKTOP', brand: 'HP', model: 'EliteDesk 800 G4 SFF', serialNumber: 'DEMO800G4D4', inventoryNumber: 'MDR-2018-0093', acquisitionDate: '2018-11-20', estimatedValueCents: 12000, weightKg: 5.5, media: [{ kind: 'SSD', serialNumber: 'DEMO-SSD-800G4D4', model: 'Samsung PM981', capacityGb: 256 }] } },
  { stage: 'COLLECTED', input: { type: 'LAPTOP', brand: 'HP', model: 'ProBook 450 G5', serialNumber: 'DEMO450G5E5', inventoryNumber: 'MDR-2018-0120', acquisitionDate: '2018-05-03', estimatedValueCents: 11000, weightKg: 2.1, media: [{ kind: 'SSD', serialNumber: 'DEMO-SSD-450G5E5', capacityGb: 256 }] } },
  { stage: 'REGISTERED', input: { type: 'LAPTOP', brand: 'Lenovo', model: 'ThinkPad T470', serialNumber: 'DEMOT470F6', inventoryNumber: 'MDR-2017-0207', acquisitionDate: '2017-10-12', estimatedValueCents: 10000, weightKg: 1.6, media: [{ kind: 'SSD', serialNumber: 'DEMO-SSD-T470F6', capacityGb: 256 }] } },
  { stage: 'REGISTERED', input: { type: 'DESKTOP', brand: 'HP', model: 'ProDesk 600 G3', serialNumber: 'DEMO600G3G7', inventoryNumber: 'MDR-2017-0188', acquisitionDate: '2017-06-28', estimatedValueCents: 8000, weightKg: 6, media: [{ kind: 'HDD', serialNumber: 'DEMO-HDD-600G3G7', capacityGb: 500 }] } },
  { stage: 'REGISTERED', input: { type: 'MONITOR', brand: 'Dell', model: 'P2419H', serialNumber: 'DEMOP2419H8', inventoryNumber: 'MDR-2019-0150', acquisitionDate: '2019-04-15', estimatedValueCents: 6000, weightKg: 5.2 } },
  { stage: 'RECYCLED', erasure: SHREDDING, input: { type: 'DESKTOP', brand: 'Dell', model: 'OptiPlex 780', serialNumber: 'DEMO780H9', inventoryNumber: 'MDR-2010-0031', acquisitionDate: '2010-02-08', estimatedValueCents: 0, weightKg: 7.5, media: [{ kind: 'HDD', serialNumber: 'DEMO-HDD-780H9', capacityGb: 250 }] } },
];

const ORDER: DemoStage[] = ['REGISTERED', 'COLLECTED', 'REFURBISHED', 'AVAILABLE'];
const reaches = (d: DemoDevice, stage: DemoStage) => (d.stage === 'RECYCLED' ? stage === 'COLLECTED' : ORDER.indexOf(d.stage) >= ORDER.indexOf(stage));

/** What `seedDemo` found and did. */
export type DemoSeedOutcome =
  /** An empty database: the demo is now loaded. */
  | 'loaded'
  /** A demo whose loading had been interrupted: now complete. */
  | 'completed'
  /** The demo, complete: nothing to do. */
  | 'present'
  /** Other data (a real deployment, `cli bootstrap`): never given demo data. */
  | 'other-data';

export interface DemoSeedOptions {
  /** Called after each step, done now or found done (tests interrupt the seed here). */
  afterStep?: (step: string) => unknown;
}

/**
 * Loads the demo into an empty database, or completes a demo whose loading was interrupted
 * (Ctrl-C, a crash, a lost connection). Logins first, in one transaction; then the Mairie's
 * donation and devices, driven through the same services as the api and the worker (donations,
 * erasure records, `TransitionService`), one transaction per step, so every device has its
 * hash-chained history and the worker's outbox relay takes over what follows (certificates,
 * notifications) once it starts.
 *
 * That cannot be one transaction, so it converges instead: every step is skipped when already
 * done (rows found by their natural keys: territory name and demo e-mails, donation reference,
 * device serials, an erasure per medium; a transition by the answer stored under its stable
 * Idempotency-Key), and every `up` goes through them all, in a few milliseconds once done.
 * A database is the demo's when it holds the demo territory with the five demo logins, which are
 * created together or not at all; one without them that has a territory (a real deployment's,
 * made by `cli bootstrap`) is never given demo data.
 */
export async function seedDemo(db: DataSource, options: DemoSeedOptions = {}): Promise<DemoSeedOutcome> {
  const afterStep = options.afterStep ?? (() => undefined);
  let created = false;
  let changed = false;
  const identity = new IdentityService(db);
  const people = await db.transaction(async (m) => {
    const demo = await demoLogins(m);
    if (demo) return demo;
    const [{ count }] = await m.query('SELECT count(*)::int AS count FROM territory');
    if (count > 0) return undefined;
    created = true;
    const territory = await identity.createTerritory(m, DEMO_TERRITORY);
    const byKind = {} as Record<OrganizationKind, Principal>;
    for (const o of DEMO_ORGANIZATIONS) {
      const org = await identity.insertOrganization(m, territory.id, o.name, o.kind);
      const user = await identity.insertUser(m, org.id, o.email, DEMO_PASSWORD, o.role);
      byKind[o.kind] = { userId: user.id, apiKeyId: null, email: user.email, organizationId: org.id, organizationKind: o.kind, role: o.role, territoryId: territory.id };
    }
    return byKind;
  });
  if (!people) return 'other-data';
  await afterStep('logins');
  await seedDemoDevices(db, people, async (step, done) => {
    changed ||= !done;
    await afterStep(step);
  });
  return created ? 'loaded' : changed ? 'completed' : 'present';
}

/** The demo logins, if the demo territory holds all five, each in its demo organisation. */
async function demoLogins(m: EntityManager): Promise<Record<OrganizationKind, Principal> | undefined> {
  const rows: { territory_id: string; organization_id: string; name: string; kind: OrganizationKind; user_id: string; email: string; role: Role }[] = await m.query(
    `SELECT t.id AS territory_id, o.id AS organization_id, o.name, o.kind, u.id AS user_id, u.email, u.role
       FROM territory t JOIN organization o ON o.territory_id = t.id JOIN app_user u ON u.organization_id = o.id
      WHERE t.name = $1 AND u.email = ANY($2)`,
    [DEMO_TERRITORY, DEMO_ORGANIZATIONS.map((o) => o.email)],
  );
  const byKind = {} as Record<OrganizationKind, Principal>;
  for (const o of DEMO_ORGANIZATIONS) {
    const r = rows.find((r) => r.email === o.email && r.name === o.name && r.kind === o.kind);
    if (!r) return undefined;
    byKind[o.kind] = { userId: r.user_id, apiKeyId: null, email: r.email, organizationId: r.organization_id, organizationKind: r.kind, role: r.role, territoryId: r.territory_id };
  }
  return byKind;
}

/** `step(name, done)` after each step: `done` when it had been done already. */
async function seedDemoDevices(db: DataSource, people: Record<OrganizationKind, Principal>, step: (name: string, done: boolean) => Promise<void>): Promise<void> {
  const { DONOR: donor, WORKSHOP: workshop, COORDINATOR: coordinator, RECYCLER: recycler } = people;
  const donations = new DonationService(db, new DeviceRegistry());
  let [donation]: { id: string }[] = await db.query('SELECT id FROM donation WHERE donor_organization_id = $1 AND reference = $2', [donor.organizationId, DEMO_DONATION_REFERENCE]);
  const donationFound = !!donation;
  donation ??= await donations.create(donor, { reference: DEMO_DONATION_REFERENCE, pickupAddress: 'Hôtel de ville, 1 place de la République, 69100 Démo-sur-Rhône' });
  await step('donation', donationFound);

  // Registered together or not at all (one transaction).
  const serialKeys = DEMO_DEVICES.map((d) => normalizeSerial(d.input.serialNumber));
  const rows: { id: string; serial_key: string }[] = await db.query('SELECT id, serial_key FROM device WHERE donation_id = $1 AND serial_key = ANY($2)', [donation.id, serialKeys]);
  const found = new Map(rows.map((r) => [r.serial_key, r.id]));
  const ids = found.size
    ? serialKeys.map((key) => found.get(key))
    : (await donations.registerDevices(donor, donation.id, DEMO_DEVICES.map((d) => d.input))).devices.map((d) => d.id);
  if (ids.some((id) => !id)) throw new Error(`Démonstration : le don ${DEMO_DONATION_REFERENCE} n'a que ${found.size} des ${DEMO_DEVICES.length} appareils de la démonstration.`);
  await step('devices', found.size > 0);

  const transitions = new TransitionService(db);
  const erasures = new ErasureRecorder(db, new DeviceAccess(db));
  const transition = async (p: Principal, i: number, action: string, payload: Record<string, unknown> = {}) => {
    const deviceId = ids[i]!;
    const key = `demo-${deviceId}-${action}`;
    const [stored]: { status_code: number; body: unknown }[] = await db.query('SELECT status_code, body FROM idempotency_record WHERE id = $1', [key]);
    const answer = stored
      ? { statusCode: stored.status_code, body: stored.body }
      : await transitions.apply({
          deviceId,
          action,
          payload,
          actor: { userId: p.userId, apiKeyId: null, organizationId: p.organizationId, kind: p.organizationKind, role: p.role, territoryId: p.territoryId },
          key,
          fingerprint: requestFingerprint(action, payload),
        });
    if (answer.statusCode !== 200) throw new Error(`Démonstration : ${action} refusé (${answer.statusCode}) : ${JSON.stringify(answer.body)}`);
    await step(`${DEMO_DEVICES[i].input.serialNumber} ${action}`, !!stored);
  };
  for (const [i, spec] of DEMO_DEVICES.entries()) {
    const id = ids[i]!;
    if (!reaches(spec, 'COLLECTED')) continue;
    await transition(workshop, i, 'collect', { notes: 'Enlevé en mairie, bon état général.' });
    if (!spec.erasure) continue;
    for (const medium of spec.input.media ?? []) {
      const [recorded] = await db.query(
        'SELECT 1 FROM erasure_record r JOIN device_medium m ON m.id = r.medium_id WHERE r.device_id = $1 AND m.serial_key = $2',
        [id, normalizeSerial(medium.serialNumber)],
      );
      if (!recorded) {
        // An erasure counts only if it began after the custody-in the collect just recorded.
        const [{ custody_in_at }] = await db.query('SELECT custody_in_at FROM device WHERE id = $1', [id]);
        const startedAt = new Date(Math.max(Date.now(), new Date(custody_in_at).getTime() + 1));
        const { toolVersion, ...how } = spec.erasure;
        await erasures.recordByHand(workshop, id, {
          ...how,
          ...(toolVersion ? { toolVersion } : {}),
          mediumSerial: medium.serialNumber,
          verification: spec.erasure.level === 'DESTROY' ? 'NONE' : 'FULL',
          result: 'PASSED',
          startedAt,
          endedAt: new Date(startedAt.getTime() + 1000),
          source: 'MANUAL',
        });
      }
      await step(`${spec.input.serialNumber} erasure ${medium.serialNumber}`, !!recorded);
    }
    await transition(workshop, i, 'wipe');
    if (spec.stage === 'RECYCLED') {
      await transition(workshop, i, 'recycle', { recyclerOrganizationId: recycler.organizationId });
      continue;
    }
    await transition(workshop, i, 'start_refurbish');
    const checklist = spec.input.type === 'DESKTOP' ? { demarrage: true, usb: true, reseau: true, son: true } : { ecran: true, clavier: true, wifi: true, usb: true, son: true, camera: true };
    const battery = spec.input.type === 'DESKTOP' ? {} : { batteryHealthPct: spec.input.type === 'SMARTPHONE' ? 86 : 78 };
    await transition(workshop, i, 'refurbish', { grade: spec.grade, checklist, os: spec.input.type === 'SMARTPHONE' ? 'Android 13' : 'Linux Mint 22', ...battery });
    // A workshop admin or the coordinator publishes; the demo workshop login is a technician.
    if (spec.stage === 'AVAILABLE') await transition(coordinator, i, 'publish', { priceCents: spec.priceCents });
  }
}
