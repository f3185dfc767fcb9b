import { erase, step, toAvailable } from '../support/flows';
import { registerHosts } from '../support/erasure-fixtures';
import { TestApp, World } from '../support/test-app';
import { pdfText } from '../support/pdf-text';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const binary = (res: any, done: (err: Error | null, body: any) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('donor report (REEN proof of reuse)', () => {
  let t: TestApp;
  let w: World;
  let donationId: string;
  const inv = (i: number) => (i === 7 ? '=HYPERLINK("x")' : `VLO-R-0${i}`);
  const expectedFate = ['Réemployé', 'Réemployé', 'Réemployé', 'Recyclé', 'Démonté (pièces détachées)', 'En cours (atelier ou partenaire)', 'En cours (atelier ou partenaire)', 'En attente de collecte', 'Recyclé', 'En cours (atelier ou partenaire)'];
  const expectedErasure = ['Effacement prouvé', 'Effacement prouvé', 'Sans stockage', 'Effacement prouvé', 'Effacement prouvé', 'Effacement prouvé', 'Non effacé', 'Non effacé', 'Effacement prouvé', 'Effacement prouvé'];

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Report');
    const hosts = Array.from({ length: 10 }, (_, i) => ({
      brand: 'Dell',
      model: `OptiPlex ${3000 + i}`,
      serialNumber: `RPT-${i}-${Date.now().toString(36)}`,
      inventoryNumber: inv(i),
      // Device 8 is over 10 years old: outside the REEN base.
      acquisitionDate: i === 8 ? '2012-03-01' : '2019-05-02',
      // The declared value, for the sortie d'inventaire: 123,45 € on device 1, none on device 2.
      ...(i === 1 ? { estimatedValueCents: 12345 } : i === 2 ? { estimatedValueCents: undefined } : {}),
      ...(i === 2 ? {} : { media: [{ kind: 'SSD', serialNumber: `DR-${i}` }] }),
    }));
    const registered = await registerHosts(t, w, hosts, { collect: false });
    donationId = registered.donationId;
    const d = registered.devices;
    const distribute = async (i: number) => {
      await toAvailable(t, w, d[i], i === 2 ? [] : [`DR-${i}`]);
      await step(t, w.charity.agent, d[i].id, { action: 'reserve' });
      await step(t, w.charity.agent, d[i].id, { action: 'distribute', priceCents: 3000, paymentMethod: 'CASH', beneficiary: { ref: `B-${i}`, eligibility: 'autre', postalCode: '69100' } });
    };
    const collectErase = async (i: number) => {
      await step(t, w.workshop.agent, d[i].id, { action: 'collect' });
      const res = await erase(t, w.workshop.agent, d[i].id, `DR-${i}`);
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    };
    for (const i of [0, 1, 2]) await distribute(i);
    await collectErase(3);
    await step(t, w.workshop.agent, d[3].id, { action: 'recycle', recyclerOrganizationId: w.recycler.id });
    await collectErase(4);
    await step(t, w.workshop.agent, d[4].id, { action: 'wipe' });
    await step(t, w.workshop.agent, d[4].id, { action: 'dismantle' });
    await toAvailable(t, w, d[5], ['DR-5']);
    await step(t, w.workshop.agent, d[6].id, { action: 'collect' });
    // d[7] stays at the donor.
    await collectErase(8);
    await step(t, w.workshop.agent, d[8].id, { action: 'recycle', recyclerOrganizationId: w.recycler.id });
    await collectErase(9);
    await step(t, w.workshop.agent, d[9].id, { action: 'wipe' });
    await step(t, w.workshop.agent, d[9].id, { action: 'start_refurbish' });
  });
  afterAll(() => t?.close());

  it('lists all 10 devices with their erasure proof and fate in a CSV that spreadsheets open cleanly', async () => {
    const res = await t.http.get(`/api/v1/donations/${donationId}/report.csv`).set(w.donor.agent.auth).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    const text: string = res.body.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(1).split('\r\n').slice(0, -1);
    expect(lines).toHaveLength(11);
    expect(lines[0].split(';')).toEqual(['Numéro d’inventaire', 'Code Renum', 'Type', 'Marque et modèle', 'Numéro de série', 'Date d’acquisition', 'Valeur estimée (€)', 'Effacement des données', 'Date de l’effacement', 'Devenir', 'Statut détaillé', 'Base REEN', 'Supports déclarés absents par l’atelier']);
    for (let i = 0; i < 10; i++) {
      const cell = i === 7 ? `"'=HYPERLINK(""x"")"` : inv(i);
      const line = lines.find((l) => l.startsWith(`${cell};`));
      expect(line).toBeDefined();
      const cols = line!.split(';');
      expect(cols[5]).toBe(i === 8 ? '01/03/2012' : '02/05/2019');
      // Decimal comma, as a French Excel reads a number; empty when the donor gave no value.
      expect(cols[6]).toBe(i === 1 ? '123,45' : i === 2 ? '' : '50,00');
      expect(cols[7]).toBe(expectedErasure[i]);
      expect(cols[9]).toBe(expectedFate[i]);
      expect(cols[11]).toBe(i === 8 ? 'Exclu (plus de 10 ans)' : 'Compté');
      if (expectedErasure[i] === 'Effacement prouvé') expect(cols[8]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    }
  });

  it('gives the REEN reuse rate (reused / donated, devices over 10 years excluded) and the statement in the PDF', async () => {
    const res = await t.http.get(`/api/v1/donations/${donationId}/report.pdf`).set(w.coordinator.agent.auth).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
    const text = (await pdfText(res.body)).replace(/\s+/g, ' ');
    for (let i = 0; i < 10; i++) if (i !== 7) expect(text).toContain(inv(i));
    // 3 distributed out of the 9 devices of the base (device 8 is over 10 years old).
    expect(text).toMatch(/Taux de réemploi \(loi REEN\) : 33,3 %/);
    expect(text).toContain('3 sur 9 matériels comptés, 1 de plus de 10 ans exclu)');
    expect(text).toContain('provisoire');
    expect(text).toContain('Attestation pour la sortie d’inventaire');
    expect(text).toMatch(/sur 10 matériels du don/);
    expect(text).toMatch(/3 ont été réemployés/);
  });

  it('is for the donor who gave it and the territory coordinator only', async () => {
    expect((await t.http.get(`/api/v1/donations/${donationId}/report.csv`).set(w.workshop.admin.auth)).status).toBe(404);
    expect((await t.http.get(`/api/v1/donations/${donationId}/report.pdf`).set(w.charity.agent.auth)).status).toBe(404);
    const other = await t.world('OtherDonor');
    expect((await t.http.get(`/api/v1/donations/${donationId}/report.csv`).set(other.donor.agent.auth)).status).toBe(404);
    expect((await t.http.get(`/api/v1/donations/${donationId}/report.csv`).set(other.coordinator.agent.auth)).status).toBe(404);
    expect((await t.http.get(`/api/v1/donations/not-a-uuid/report.csv`).set(w.donor.agent.auth)).status).toBe(404);
  });
});
