import { CertificateFacts } from './certificate-facts';
import { maskedSerial, verifyPageHtml, VerificationView } from './verify-page';

const facts: CertificateFacts = {
  certificateId: '0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001',
  issuedAt: '2026-11-20T10:00:00.000Z',
  verifyUrl: 'http://localhost:3000/verify/0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001',
  device: { code: 'RN-4F7K-2QXJ', type: 'LAPTOP', typeLabel: 'Ordinateur portable', brand: 'HP', model: '250 G7', serialNumber: 'SN1', status: 'WIPED', statusLabel: 'Effacé' },
  workshop: { name: 'Atelier' },
  custodyInAt: '2026-11-20T08:00:00.000Z',
  noStorage: false,
  media: [{ serial: 'DISK-1', model: null, kind: 'SSD', capacityGb: 256, erasure: null }],
  reportHashes: [],
  eventSeq: 4,
  eventHash: 'h',
};
const view = (over: Partial<VerificationView>): VerificationView => ({
  facts,
  valid: true,
  chain: { valid: true, length: 4 },
  sameEvent: true,
  voidedErasures: 0,
  unlistedMedia: 0,
  currentStatusLabel: 'Effacé',
  ...over,
});

describe('public verification page', () => {
  it.each([
    ['an intact history', {}, 'data-valid="true"', 'Certificat valide.'],
    ['a broken history', { valid: false, chain: { valid: false, length: 4, brokenAt: 2 } }, 'data-valid="false"', 'rupture à l’événement n° 2'],
    ['an erasure voided since', { voidedErasures: 1 }, 'data-valid="false"', '1 effacement cité ici a depuis été annulé par une contre-vérification'],
    ['two disks found since', { unlistedMedia: 2 }, 'data-valid="false"', '2 supports de stockage ont été enregistrés sur ce matériel sans figurer dans ce certificat'],
  ])('says what it is worth for %s', (_case, over, marker, text) => {
    const html = verifyPageHtml(view(over));
    expect(html).toContain(marker);
    expect(html).toContain(text);
    if (marker.endsWith('"false"')) expect(html).not.toContain('Certificat valide');
  });

  it('shows the last 4 symbols of a medium serial, never the whole', () => {
    expect(maskedSerial('S3Z9NB0K123456X')).toBe('••••••••456X');
    expect(maskedSerial('ABCDEFG')).toBe('•••DEFG');
    expect(maskedSerial('ABC')).toBe('•••');
    const html = verifyPageHtml(view({ facts: { ...facts, media: [{ ...facts.media[0], serial: 'WD-WCC4N1234567' }] } }));
    expect(html).toContain('4567');
    expect(html).not.toContain('WCC4N1234567');
  });
});
