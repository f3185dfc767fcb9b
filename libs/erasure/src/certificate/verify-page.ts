import { secondsFr } from '@renum/identity';
import { ABSENT_MEDIUM_FR, CertificateFacts, frenchDateTime, LEVEL_LABELS_FR, MEDIUM_KIND_LABELS_FR, VERIFICATION_LABELS_FR } from './certificate-facts';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Renum</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
.ok{background:#e6f4ea;border-left:6px solid #1e7d32;padding:.8rem 1rem}.ko{background:#fdecea;border-left:6px solid #b3261e;padding:.8rem 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem}th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}th{width:40%;font-weight:600}
code{font-size:.85em;word-break:break-all}</style></head><body>${body}</body></html>`;

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * A serial on the public page: its last 4 symbols, enough to match the certificate in hand. The
 * page is open to anyone holding the certificate's id, a charity's copy included, which omits
 * serials: the page must not give them back.
 */
export function maskedSerial(serial: string): string {
  const visible = serial.length > 6 ? 4 : Math.max(0, serial.length - 3);
  return `${'•'.repeat(Math.min(8, serial.length - visible))}${serial.slice(serial.length - visible)}`;
}

export interface VerificationView {
  facts: CertificateFacts;
  valid: boolean;
  chain: { valid: boolean; length: number; brokenAt?: number };
  sameEvent: boolean;
  voidedErasures: number;
  /** Media of the device now that the certificate does not list, or lists as absent (found after it was issued). */
  unlistedMedia: number;
  /** The device's status now, in French. */
  currentStatusLabel: string;
}

/**
 * The public page behind the certificate's QR: what the certificate states, without personal
 * data (no technician, no beneficiary) nor whole serials, and whether the device history still verifies.
 */
export function verifyPageHtml(v: VerificationView): string {
  const f = v.facts;
  const intact = `L’historique infalsifiable du matériel est intact (${v.chain.length} événements) et contient toujours l’événement n° ${f.eventSeq} sur lequel ce certificat s’appuie`;
  // An authentic certificate stops proving the erasure when one of its erasures was voided, or a
  // disk it does not list was found on the device: saying « valide » then would mislead its holder.
  const superseded = v.voidedErasures > 0 || v.unlistedMedia > 0;
  const verdict = !v.valid
    ? `<p class="ko" data-valid="false"><strong>Certificat invalide.</strong> L’historique du matériel ne se vérifie plus${v.chain.brokenAt ? ` (rupture à l’événement n° ${v.chain.brokenAt})` : ''} : ce certificat ne peut pas être considéré comme une preuve. Contactez le coordinateur de la filière.</p>`
    : superseded
      ? `<p class="ko" data-valid="false"><strong>Certificat dépassé : l’effacement n’est plus prouvé.</strong> ${intact}, mais ce qu’il atteste ne couvre plus le matériel (voir ci-dessous). Un certificat plus récent peut exister une fois les supports effacés à nouveau.</p>`
      : `<p class="ok" data-valid="true"><strong>Certificat valide.</strong> ${intact}.</p>`;
  const voided = v.voidedErasures
    ? `<p class="ko">Attention : ${plural(v.voidedErasures, 'effacement cité ici a', 'effacements cités ici ont')} depuis été ${v.voidedErasures > 1 ? 'annulés' : 'annulé'} par une contre-vérification.</p>`
    : '';
  const unlisted = v.unlistedMedia
    ? `<p class="ko">Attention : ${plural(v.unlistedMedia, 'support de stockage a', 'supports de stockage ont')} été ${v.unlistedMedia > 1 ? 'enregistrés' : 'enregistré'} sur ce matériel sans figurer dans ce certificat (ou en y étant déclaré${v.unlistedMedia > 1 ? 's' : ''} absent${v.unlistedMedia > 1 ? 's' : ''}), qui ne prouve donc pas ${v.unlistedMedia > 1 ? 'leur' : 'son'} effacement.</p>`
    : '';
  // A certificate describes one moment; a reader holding an old one must learn the device moved on
  // (a device returned by its beneficiary is no longer erased until the workshop wipes it again).
  const later = v.chain.length - f.eventSeq;
  const since = later > 0
    ? `<p>Ce certificat décrit le matériel à l’événement n° ${f.eventSeq} de son historique. ${later} événement(s) ont suivi ; statut actuel : « ${esc(v.currentStatusLabel)} ».</p>`
    : '';
  const media = f.media
    .map((m, i) => {
      const e = m.erasure;
      // Values are text, escaped when written out; only markup built here is passed as { html }.
      const rows: [string, string | { html: string }][] = [
        ['Fabricant / modèle', m.model ?? 'Non renseigné'],
        ['N° de série du support', maskedSerial(m.serial)],
        ['Type de support', MEDIUM_KIND_LABELS_FR[m.kind ?? 'OTHER'] ?? String(m.kind)],
      ];
      if (m.absent) {
        // Not its free-text reason: this page is public, and a technician may have written a serial or a name in it.
        rows.push(['Résultat', `Déclaré absent par l’atelier : ${ABSENT_MEDIUM_FR}`], ['Déclaré le', frenchDateTime(m.absent.at)]);
      } else if (e) {
        rows.push(
          ['Niveau', LEVEL_LABELS_FR[e.level] ?? e.level],
          ['Méthode', e.method],
          ['Outil', `${e.tool}${e.toolVersion ? ` ${e.toolVersion}` : ''}`],
          ['Vérification', VERIFICATION_LABELS_FR[e.verification] ?? e.verification],
          ['Résultat', e.result === 'PASSED' ? 'Réussi' : 'Échec'],
          ['Date', `du ${frenchDateTime(e.startedAt)} au ${frenchDateTime(e.endedAt)}`],
          ['Organisation', e.organization],
        );
        if (e.reportSha256) rows.push(['Rapport de l’outil (SHA-256)', { html: `<code>${esc(e.reportSha256)}</code>` }]);
      } else rows.push(['Résultat', 'Aucun effacement valide']);
      return `<h3>Support ${i + 1}</h3><table>${rows.map(([k, val]) => `<tr><th>${esc(k)}</th><td>${typeof val === 'string' ? esc(val) : val.html}</td></tr>`).join('')}</table>`;
    })
    .join('');
  const body = `<h1>Vérification d’un certificat d’effacement</h1>${verdict}${voided}${unlisted}${since}
<h2>Matériel</h2><table>
<tr><th>Code Renum</th><td>${esc(f.device.code)}</td></tr>
<tr><th>Type</th><td>${esc(f.device.typeLabel)}</td></tr>
<tr><th>Marque / modèle</th><td>${esc(`${f.device.brand} ${f.device.model}`)}</td></tr>
<tr><th>Statut au moment du certificat</th><td>${esc(f.device.statusLabel)}</td></tr>
<tr><th>Atelier</th><td>${esc(f.workshop?.name ?? 'Non renseigné')}</td></tr>
<tr><th>Certificat</th><td><code>${esc(f.certificateId)}</code>, émis le ${esc(frenchDateTime(f.issuedAt))}</td></tr></table>
<h2>Supports de stockage</h2>${media || '<p>Aucun support de stockage : l’atelier a déclaré que ce matériel n’en contient pas.</p>'}`;
  return layout('Vérification de certificat', body);
}

export function verifyNotFoundHtml(): string {
  return layout('Certificat inconnu', '<h1>Certificat inconnu</h1><p>Aucun certificat d’effacement ne porte ce numéro. Vérifiez l’adresse ou scannez à nouveau le QR code du certificat.</p>');
}

/** 429: this address asked for too many pages in a minute (PUBLIC_PAGE_RATE_LIMIT). */
export function verifyTooManyRequestsHtml(retryAfterSeconds: number): string {
  return layout('Trop de requêtes', `<h1>Trop de requêtes</h1><p>Beaucoup de vérifications ont été demandées depuis votre connexion en peu de temps. Patientez ${secondsFr(retryAfterSeconds)}, puis scannez à nouveau le QR code du certificat.</p>`);
}
