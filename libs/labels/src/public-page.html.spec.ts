import { ERASURE_PROOF_FR, escapeHtml, PublicDeviceView, renderDevicePage, renderNotFoundPage, renderTooManyRequestsPage } from './public-page.html';

const view: PublicDeviceView = {
  code: 'RN-4F7K-2QXJ',
  typeLabel: 'Ordinateur portable',
  brand: 'Dell <b>',
  model: 'Latitude "5400" & co',
  statusLabel: 'Remis à un bénéficiaire',
  erasure: 'proven',
  responsibleOrganization: "L'Entraide <script>alert(1)</script>",
};

describe('public device page HTML', () => {
  it('escapes everything it interpolates and carries no script', () => {
    const html = renderDevicePage(view);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('L&#39;Entraide &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Dell &lt;b&gt; Latitude &quot;5400&quot; &amp; co');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('is French, with header/main/footer landmarks, one h1 and a mobile viewport', () => {
    const html = renderDevicePage(view);
    expect(html).toMatch(/<html lang="fr">/);
    expect(html).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1">/);
    expect(html).toMatch(/<header>[\s\S]*<\/header>\s*<main>[\s\S]*<\/main>\s*<footer>[\s\S]*<\/footer>/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
  });

  it.each(Object.entries(ERASURE_PROOF_FR))('states the erasure proof %s in words', (erasure, words) => {
    expect(renderDevicePage({ ...view, erasure: erasure as PublicDeviceView['erasure'] })).toContain(words);
  });

  it('links to the API only when given a link', () => {
    expect(renderDevicePage(view)).not.toContain('<a ');
    expect(renderDevicePage({ ...view, apiLink: '/api/v1/devices/abc' })).toContain('<a href="/api/v1/devices/abc">');
  });

  it('404 page: says whether the code is mistyped or unknown, escaped', () => {
    expect(renderNotFoundPage('RN-4F7K-2QXE', 'mistyped')).toContain('mal saisi');
    const unknown = renderNotFoundPage('<img src=x>', 'unknown');
    expect(unknown).toContain('Aucun matériel ne porte le code « &lt;img src=x&gt; »');
    expect(unknown).toMatch(/<html lang="fr">/);
  });

  it('429 page: in French, one h1, how long to wait', () => {
    const html = renderTooManyRequestsPage(42);
    expect(html).toMatch(/<html lang="fr">/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<h1>Trop de requêtes</h1>');
    expect(html).toContain('Patientez 42 secondes');
    expect(renderTooManyRequestsPage(1)).toContain('Patientez 1 seconde,');
  });
});
