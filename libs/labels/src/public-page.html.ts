import { secondsFr } from '@renum/identity';
/**
 * The public device page (what a phone opens from a label's QR), as plain HTML strings.
 * Pure: no Nest, no database. Everything interpolated goes through `escapeHtml`.
 * Accessibility: lang="fr", header/main/footer landmarks, one h1, a description list, text at
 * least 16 px, colours above WCAG AA contrast, no script, fluid width down to 320 px.
 */

export type ErasureProof = 'proven' | 'not-proven' | 'no-storage';

/** What the public may know of a device: no serial, no inventory number, no person. */
export interface PublicDeviceView {
  code: string;
  typeLabel: string;
  brand: string;
  model: string;
  statusLabel: string;
  erasure: ErasureProof;
  responsibleOrganization: string | null;
  /** Only for a signed-in caller who may see the device. */
  apiLink?: string;
}

export const ERASURE_PROOF_FR: Record<ErasureProof, string> = {
  proven: 'Effacement des données prouvé',
  'not-proven': 'Effacement des données non encore prouvé',
  'no-storage': 'Sans support de stockage',
};

const ERASURE_DETAIL_FR: Record<ErasureProof, string> = {
  proven: 'Chaque support de stockage a un enregistrement d’effacement réussi depuis la dernière prise en charge par un atelier.',
  'not-proven': 'L’effacement de tous les supports de stockage n’est pas encore enregistré.',
  'no-storage': 'Un technicien a constaté que ce matériel ne contient aucun support de stockage.',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Contrast: #1b1b1b on #ffffff is 17:1; links #0b4a8b on white 8.6:1; footer #3d3d3d on #f3f3f3 9.6:1.
const STYLE = `
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;line-height:1.5;color:#1b1b1b;background:#fff}
header,main,footer{padding:1rem;max-width:40rem;margin:0 auto}
header{border-bottom:4px solid #0b4a8b}
header p{margin:0;font-weight:700;font-size:1.125rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem;overflow-wrap:anywhere}
dl{margin:0}
dt{font-weight:700;margin-top:.75rem}
dd{margin:0;overflow-wrap:anywhere}
.code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:1.125rem}
.proof{display:inline-block;padding:.125rem .5rem;border:2px solid currentColor;border-radius:.25rem;font-weight:700}
.proof.proven{color:#1e5e1e}.proof.not-proven{color:#8a3b00}.proof.no-storage{color:#1b1b1b}
a{color:#0b4a8b;text-decoration:underline}
a:focus{outline:3px solid #0b4a8b;outline-offset:2px}
footer{margin-top:2rem;background:#f3f3f3;color:#3d3d3d;font-size:1rem}
footer p{margin:.25rem 0}
`;

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<p>Renum · réemploi solidaire</p>
</header>
<main>
${main}
</main>
<footer>
<p>Ce matériel informatique suit une filière de réemploi solidaire : collecte, effacement certifié des données, reconditionnement, puis remise à un prix solidaire.</p>
<p>Cette page ne montre aucune donnée personnelle ni numéro de série.</p>
</footer>
</body>
</html>
`;
}

export function renderDevicePage(view: PublicDeviceView): string {
  const title = `${view.typeLabel} ${view.brand} ${view.model}`.replace(/\s+/g, ' ').trim();
  const rows: [string, string][] = [
    ['Statut', escapeHtml(view.statusLabel)],
    [
      'Effacement des données',
      `<span class="proof ${view.erasure}">${escapeHtml(ERASURE_PROOF_FR[view.erasure])}</span><br>${escapeHtml(ERASURE_DETAIL_FR[view.erasure])}`,
    ],
    ['Organisation responsable', escapeHtml(view.responsibleOrganization ?? 'Non renseignée')],
    ['Type', escapeHtml(view.typeLabel)],
    ['Marque et modèle', escapeHtml(`${view.brand} ${view.model}`.trim())],
    ['Code du matériel', `<span class="code">${escapeHtml(view.code)}</span>`],
  ];
  const link = view.apiLink
    ? `\n<p><a href="${escapeHtml(view.apiLink)}">Voir la fiche complète de ce matériel (connexion requise)</a></p>`
    : '';
  return layout(
    `${title} – Renum`,
    `<h1>${escapeHtml(title)}</h1>
<dl>
${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt>\n<dd>${value}</dd>`).join('\n')}
</dl>${link}`,
  );
}

export function renderNotFoundPage(raw: string, reason: 'unknown' | 'mistyped'): string {
  const detail =
    reason === 'mistyped'
      ? `Le code « ${escapeHtml(raw)} » est mal saisi : son caractère de contrôle ne correspond pas. Vérifiez chaque caractère sur l’étiquette (par exemple RN-4F7K-2QXJ).`
      : `Aucun matériel ne porte le code « ${escapeHtml(raw)} ». Vérifiez le code imprimé sous le QR code de l’étiquette (par exemple RN-4F7K-2QXJ).`;
  return layout(
    'Matériel introuvable – Renum',
    `<h1>Matériel introuvable</h1>
<p>${detail}</p>`,
  );
}

/** 429: this address asked for too many pages in a minute (PUBLIC_PAGE_RATE_LIMIT). */
export function renderTooManyRequestsPage(retryAfterSeconds: number): string {
  return layout(
    'Trop de requêtes – Renum',
    `<h1>Trop de requêtes</h1>
<p>Beaucoup de pages de matériel ont été ouvertes depuis votre connexion en peu de temps. Patientez ${secondsFr(retryAfterSeconds)}, puis scannez ou rechargez à nouveau la page.</p>`,
  );
}
