/**
 * A disk the donor declared that is not in the device (a typo, the wrong line, removed before
 * the donation) could never be erased, so the device could never be wiped. The workshop holding
 * it declares that medium absent, with a written reason: it stops counting for invariant 1, and
 * the history, the certificate and the donor's report say so.
 */
import { randomUUID } from 'node:crypto';
import { erase, FULL_CHECKLIST, registerDevices, step, toAvailable, transition, uniqueSerial } from '../support/flows';
import { pdfText } from '../support/pdf-text';
import { eventually, TestApp, TestOrg, TestUser, World } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const binary = (res: any, done: (err: Error | null, body: any) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

type Medium = { id: string; serialNumber?: string; source: string; absent: boolean; absentAt?: string; absenceReason?: string };
type Event = { seq: number; action: string; organizationId: string | null; payload: Record<string, unknown> };

let t: TestApp;
let w: World;
let otherWorkshop: TestOrg;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Absence');
  otherWorkshop = await t.addOrganization(w, 'WORKSHOP', 'Absence');
});
afterAll(() => t?.close());

const REASON = "Une seule baie de disque, occupée par le SSD effacé : le disque déclaré en second n'est pas dans l'appareil.";

const declareAbsent = (user: TestUser, device: string, mediumId: string, body: Record<string, unknown> = { reason: REASON }) =>
  t.http.post(`/api/v1/devices/${device}/media/${mediumId}/absence`).set(user.auth).send(body);
const mediaOf = async (device: string, user = w.workshop.agent): Promise<Medium[]> => (await t.http.get(`/api/v1/devices/${device}`).set(user.auth).expect(200)).body.media;
const mediumNamed = async (device: string, serial: string) => (await mediaOf(device)).find((m) => m.serialNumber === serial)!;
const eventsAs = async (user: TestUser, device: string): Promise<Event[]> => (await t.http.get(`/api/v1/devices/${device}/events`).set(user.auth).expect(200)).body.items;

/** A laptop whose donor declared `serials`, collected by the workshop. */
async function collectedLaptop(serials: string[]) {
  const [device] = await registerDevices(t, w, [{ media: serials.map((serialNumber, i) => ({ kind: i ? 'HDD' : 'SSD', serialNumber })) }]);
  await step(t, w.workshop.agent, device.id, { action: 'collect' });
  return device;
}

async function certificate(device: string, user: TestUser) {
  const res = await t.http.get(`/api/v1/devices/${device}/erasure-certificate.pdf`).set(user.auth).buffer(true).parse(binary);
  if (res.status !== 202) return res;
  await eventually(async () => (await t.http.get(`/api/v1/jobs/${res.body.jobId}`).set(user.auth)).body.state === 'completed', 20000);
  return t.http.get(`/api/v1/devices/${device}/erasure-certificate.pdf`).set(user.auth).buffer(true).parse(binary);
}

describe('a donor-declared disk that is not in the device', () => {
  const real = uniqueSerial('REAL-SSD');
  const ghost = uniqueSerial('GHOST-HDD');
  let device: { id: string; code: string };
  let ghostId: string;

  beforeAll(async () => {
    device = await collectedLaptop([real, ghost]);
    ghostId = (await mediumNamed(device.id, ghost)).id;
  });

  it('blocks the wipe and says how out; declared absent, it no longer does, once, and the history still verifies', async () => {
    expect((await erase(t, w.workshop.agent, device.id, real)).status).toBe(201);
    const refused = await transition(t, w.workshop.agent, device.id, { action: 'wipe' });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/\/erasure-missing$/);
    expect(refused.body.missingMedia).toEqual([ghost]);
    expect(refused.body.detail).toContain(`${ghost} (déclaré par le donateur, jamais effacé : si ce support n'est pas dans l'appareil, déclarez-le absent)`);

    const before = (await eventsAs(w.workshop.agent, device.id)).length;
    const declared = await declareAbsent(w.workshop.agent, device.code, ghostId);
    expect(declared.status).toBe(200);
    expect(declared.body).toEqual({
      deviceId: device.id,
      medium: expect.objectContaining({ id: ghostId, serialNumber: ghost, source: 'DONOR', absent: true, absenceReason: REASON, absentAt: expect.any(String) }),
    });
    // The same declaration again (an answer lost on the workshop's Wi-Fi): the same answer, nothing appended.
    const again = await declareAbsent(w.workshop.agent, device.id, ghostId, { reason: `  ${REASON} ` });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...declared.body, duplicate: true });
    const events = await eventsAs(w.workshop.agent, device.id);
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      action: 'medium_declared_absent',
      fromStatus: 'COLLECTED',
      toStatus: 'COLLECTED',
      organizationId: w.workshop.id,
      actorUserId: w.workshop.agent.id,
      payload: { mediumId: ghostId, mediumSerial: ghost, mediumKind: 'HDD', reason: REASON },
    });
    expect(new Date(declared.body.medium.absentAt).toISOString()).toBe((events.at(-1) as unknown as { at: string }).at);

    // Still listed, marked absent; the real disk is unchanged.
    expect(await mediaOf(device.id)).toEqual([
      expect.objectContaining({ serialNumber: real, absent: false }),
      expect.objectContaining({ serialNumber: ghost, absent: true, absenceReason: REASON }),
    ]);
    expect((await mediaOf(device.id))[0]).not.toHaveProperty('absentAt');
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });
    expect((await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.workshop.agent.auth).expect(200)).body).toMatchObject({ valid: true });

    // Once wiped, nothing more to declare: every medium was proven or declared absent.
    const late = await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, real)).id);
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/\/not-collected$/);
    expect(late.body.detail).toContain('(WIPED)');
    // A reason other than the one given is not a retry: the declaration stands as made.
    const other = await declareAbsent(w.workshop.agent, device.id, ghostId, { reason: 'Autre motif' });
    expect(other.status).toBe(409);
    expect(other.body.type).toMatch(/\/medium-already-absent$/);
  });

  it('is on the certificate as declared absent by the workshop, with the reason, not as erased', async () => {
    const res = await certificate(device.id, w.workshop.agent);
    expect(res.status).toBe(200);
    const text = await pdfText(res.body);
    expect(text).toContain('Support 2 sur 2');
    expect(text).toContain(ghost);
    expect(text).toContain('DÉCLARÉ ABSENT PAR L’ATELIER');
    expect(text).toContain('Une seule baie de disque');
    expect(text.match(/RÉUSSI/g)).toHaveLength(1); // the real disk only
    // The public page behind its QR says the same.
    const page = await t.http.get(`/verify/${res.headers['x-certificate-id']}`).expect(200);
    expect(page.text).toContain('data-valid="true"');
    expect(page.text).toContain('Déclaré absent par l’atelier');
    expect(page.text).not.toContain('Une seule baie de disque'); // the free-text reason stays off the public page
  });

  it('hides the medium serial of the event from a charity, as every serial, but not what happened', async () => {
    await step(t, w.workshop.agent, device.id, { action: 'start_refurbish' });
    await step(t, w.workshop.agent, device.id, { action: 'refurbish', grade: 'B', checklist: FULL_CHECKLIST, os: 'Linux Mint 22', batteryHealthPct: 81 });
    await step(t, w.workshop.admin, device.id, { action: 'publish', priceCents: 9000 });
    const asCharity = await eventsAs(w.charity.agent, device.id);
    const absence = asCharity.find((e) => e.action === 'medium_declared_absent')!;
    expect(absence.payload).toEqual({ mediumId: ghostId, mediumKind: 'HDD', reason: REASON });
    expect(JSON.stringify(asCharity)).not.toContain(ghost);
    expect((await mediaOf(device.id, w.charity.agent))[1]).toEqual(expect.objectContaining({ id: ghostId, absent: true }));
    expect((await mediaOf(device.id, w.charity.agent))[1]).not.toHaveProperty('serialNumber');
    for (const reader of [w.donor.agent, w.coordinator.agent]) {
      expect((await eventsAs(reader, device.id)).find((e) => e.action === 'medium_declared_absent')!.payload).toMatchObject({ mediumSerial: ghost });
    }
    // The catalogue shows what the device holds: the real disk only.
    const item = (await t.http.get('/api/v1/catalog').set(w.charity.agent.auth).expect(200)).body.items.find((d: { id: string }) => d.id === device.id);
    expect(item.media).toEqual([{ kind: 'SSD', capacityGb: null }]);
    expect((await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.charity.agent.auth).expect(200)).body).toMatchObject({ valid: true });
  });

  it("flags it on the donor's report, naming the disk and the reason", async () => {
    const [{ donation_id: donationId }] = await t.db.query('SELECT donation_id FROM device WHERE id = $1', [device.id]);
    const csv = (await t.http.get(`/api/v1/donations/${donationId}/report.csv`).set(w.donor.agent.auth).buffer(true).parse(binary).expect(200)).body.toString('utf8');
    const [header, line] = csv.slice(1).split('\r\n');
    expect(header.split(';').at(-1)).toBe('Supports déclarés absents par l’atelier');
    expect(line).toContain('Effacement prouvé (1 support déclaré absent par l’atelier)');
    expect(line).toContain(`support ${ghost} déclaré absent le `);
    expect(line).toContain('Une seule baie de disque');
    const pdf = await pdfText((await t.http.get(`/api/v1/donations/${donationId}/report.pdf`).set(w.donor.agent.auth).buffer(true).parse(binary).expect(200)).body);
    expect(pdf).toContain('Supports de stockage déclarés absents par l’atelier');
    expect(pdf).toContain(ghost);
  });
});

describe('who may declare a medium absent', () => {
  it('the workshop holding the device only; others are told 404 or 403 as for an erasure', async () => {
    const ghost = uniqueSerial('GHOST');
    const device = await collectedLaptop([ghost]);
    const { id } = await mediumNamed(device.id, ghost);
    // Devices it does not see: 404, whoever asks.
    for (const user of [otherWorkshop.agent, w.charity.agent, w.recycler.agent]) {
      const res = await declareAbsent(user, device.id, id);
      expect([user.email, res.status, res.body.type]).toEqual([user.email, 404, expect.stringMatching(/\/not-found$/)]);
    }
    // It sees the device, but may not: 403. A coordinator neither: it has not opened the device.
    for (const user of [w.donor.agent, w.workshop.viewer, w.coordinator.viewer, w.coordinator.admin, w.coordinator.agent]) {
      const res = await declareAbsent(user, device.id, id);
      expect([user.email, res.status, res.body.type]).toEqual([user.email, 403, expect.stringMatching(/\/forbidden$/)]);
    }
    expect((await mediaOf(device.id)).map((m) => m.absent)).toEqual([false]);
    // The holding workshop's admin may; the event names the workshop.
    const res = await declareAbsent(w.workshop.admin, device.id, id);
    expect(res.status).toBe(200);
    expect((await eventsAs(w.coordinator.admin, device.id)).at(-1)).toMatchObject({ action: 'medium_declared_absent', organizationId: w.workshop.id });
    // A laptop whose only declared disk is absent is one with no known medium: « no storage » is said at the wipe.
    const refused = await transition(t, w.workshop.agent, device.id, { action: 'wipe' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('noStorage: true');
    await step(t, w.workshop.agent, device.id, { action: 'wipe', noStorage: true });
  });

  it('a workshop that does not hold a device it sees: 403 not-custodian', async () => {
    const ghost = uniqueSerial('GHOST');
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: ghost }] }]);
    // REGISTERED: every workshop of the territory sees it (to collect it), none holds it.
    const res = await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, ghost)).id);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/\/not-custodian$/);
  });
});

describe('what it refuses', () => {
  it('a medium a tool or a technician saw: discovered by an erasure record, or erased (even failed)', async () => {
    const declared = uniqueSerial('DECLARED');
    const found = uniqueSerial('FOUND');
    const device = await collectedLaptop([declared]);
    expect((await erase(t, w.workshop.agent, device.id, found, { result: 'FAILED' })).body).toMatchObject({ mediumAdded: true });
    const discovered = await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, found)).id);
    expect(discovered.status).toBe(422);
    expect(discovered.body.type).toMatch(/\/medium-seen$/);
    expect(discovered.body.detail).toContain("n'a pas été déclaré par le donateur");

    expect((await erase(t, w.workshop.agent, device.id, declared, { result: 'FAILED' })).status).toBe(201);
    const erased = await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, declared)).id);
    expect(erased.status).toBe(422);
    expect(erased.body.type).toMatch(/\/medium-seen$/);
    expect(erased.body.detail).toContain('Un effacement de ce support (réussi ou non) a déjà été enregistré');
    expect((await mediaOf(device.id)).map((m) => m.absent)).toEqual([false, false]);
  });

  it('a disk erased in an earlier custody: a returned device whose disk "went missing" may hold the beneficiary’s data', async () => {
    const disk = uniqueSerial('RETURNED');
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: disk }] }]);
    await toAvailable(t, w, device, [disk]);
    await step(t, w.charity.agent, device.id, { action: 'reserve' });
    await step(t, w.charity.agent, device.id, {
      action: 'distribute',
      priceCents: 5000,
      paymentMethod: 'CASH',
      beneficiary: { ref: 'DOSSIER-ABS', eligibility: 'etudiant_boursier', postalCode: '69100' },
    });
    await step(t, w.workshop.agent, device.id, { action: 'return', reason: 'Ne démarre plus' });
    const res = await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, disk)).id);
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/\/medium-seen$/);
    expect((await transition(t, w.workshop.agent, device.id, { action: 'wipe' })).body.type).toMatch(/\/erasure-missing$/);
  });

  it('a declaration without a written reason, or of a medium that is not the device’s', async () => {
    const ghost = uniqueSerial('GHOST');
    const device = await collectedLaptop([ghost]);
    const [other] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: uniqueSerial('ELSEWHERE') }] }]);
    const { id } = await mediumNamed(device.id, ghost);
    for (const body of [{}, { reason: '   ' }, { reason: 42 }]) {
      const res = await declareAbsent(w.workshop.agent, device.id, id, body);
      expect([JSON.stringify(body), res.status, res.body.type, res.body.errors?.[0]?.field]).toEqual([JSON.stringify(body), 400, expect.stringMatching(/\/validation-error$/), 'reason']);
    }
    expect((await declareAbsent(w.workshop.agent, device.id, (await mediaOf(other.id)).at(0)!.id)).status).toBe(404);
    expect((await declareAbsent(w.workshop.agent, device.id, randomUUID())).status).toBe(404);
    expect((await declareAbsent(w.workshop.agent, device.id, 'not-a-uuid')).status).toBe(400);
    expect((await mediaOf(device.id))[0].absent).toBe(false);
  });
});

describe('exactly once', () => {
  it('two identical declarations at once append one event', async () => {
    const ghost = uniqueSerial('GHOST');
    const device = await collectedLaptop([uniqueSerial('REAL'), ghost]);
    const { id } = await mediumNamed(device.id, ghost);
    const before = (await eventsAs(w.workshop.agent, device.id)).length;
    const answers = await Promise.all([declareAbsent(w.workshop.agent, device.id, id), declareAbsent(w.workshop.agent, device.id, id), declareAbsent(w.workshop.admin, device.id, id)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(2);
    const events = await eventsAs(w.workshop.agent, device.id);
    expect(events.filter((e) => e.action === 'medium_declared_absent')).toHaveLength(1);
    expect(events).toHaveLength(before + 1);
  });
});

describe('a disk declared absent that turns up after all', () => {
  it('counts again as soon as an erasure record names it: a failed erasure blocks the wipe', async () => {
    const real = uniqueSerial('REAL');
    const ghost = uniqueSerial('GHOST');
    const device = await collectedLaptop([real, ghost]);
    expect((await erase(t, w.workshop.agent, device.id, real)).status).toBe(201);
    expect((await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, ghost)).id)).status).toBe(200);
    // The technician finds it in a second bay after all, and its erasure fails.
    const failed = await erase(t, w.workshop.agent, device.id, ghost, { result: 'FAILED' });
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({ wasAbsent: true, warning: expect.stringContaining("avait été déclaré absent de l'appareil") });
    expect(await mediumNamed(device.id, ghost)).toMatchObject({ absent: false });
    expect((await eventsAs(w.workshop.agent, device.id)).at(-1)).toMatchObject({ action: 'erasure_recorded', payload: { mediumSerial: ghost, mediumWasAbsent: true } });
    const refused = await transition(t, w.workshop.agent, device.id, { action: 'wipe' });
    expect(refused.status).toBe(422);
    expect(refused.body.missingMedia).toEqual([ghost]);
  });

  it('a successful erasure of it is told as counting, not as one to do again: the wipe passes', async () => {
    const real = uniqueSerial('REAL');
    const ghost = uniqueSerial('GHOST');
    const device = await collectedLaptop([real, ghost]);
    expect((await erase(t, w.workshop.agent, device.id, real)).status).toBe(201);
    expect((await declareAbsent(w.workshop.agent, device.id, (await mediumNamed(device.id, ghost)).id)).status).toBe(200);
    const erased = await erase(t, w.workshop.agent, device.id, ghost);
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({ wasAbsent: true, countsForCustody: true });
    // The same words as the report import: it counts again; not « doit de nouveau être effacé » for a disk just erased.
    expect(erased.body.warning).toContain("Ce support avait été déclaré absent de l'appareil : il y est donc, et compte de nouveau pour la sortie du matériel");
    expect(erased.body.warning).not.toMatch(/de nouveau être effacé/);
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });
  });
});
