/**
 * Accessibility of the public device page (what a phone opens from a label's QR), checked by
 * axe-core in a real headless Chromium driven by Playwright. The app runs in-process (TestApp)
 * on a real port. Debian's Chromium is required: without it this test FAILS, it never skips.
 */
import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import { distributedLaptop } from '../support/labels-support';
import { TestApp, World } from '../support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown }[];
}

describe('public device page: accessibility (axe-core in headless Chromium)', () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  let base: string;
  let laptop: Awaited<ReturnType<typeof distributedLaptop>>;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the accessibility test.`);
    }
    t = await TestApp.start();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    w = await t.world('A11y');
    laptop = await distributedLaptop(t, w);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function audit(path: string, expectedStatus: number, width: number): Promise<{ page: Page; blocking: Violation[] }> {
    const context = await browser.newContext({ viewport: { width, height: 640 }, locale: 'fr-FR', bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(base + path);
    expect(response?.status()).toBe(expectedStatus);
    // The page has no script of its own; axe is injected by Playwright (bypassCSP lets it run).
    expect(await page.locator('script').count()).toBe(0);
    const results = await new AxeBuilder({ page }).analyze();
    // axe really ran its rules (a blocked injection would report nothing at all).
    expect(results.passes.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['html-has-lang', 'color-contrast', 'landmark-one-main']));
    const blocking = (results.violations as Violation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    return { page, blocking };
  }

  const describeViolations = (violations: Violation[]) => violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`);

  it.each([320, 1024])('a distributed device at %i px wide: no serious or critical violation, readable without horizontal scroll', async (width) => {
    const { page, blocking } = await audit(`/d/${laptop.code}`, 200, width);
    expect(describeViolations(blocking)).toEqual([]);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('main h1').count()).toBe(1);
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('footer').count()).toBe(1);
    expect(await page.textContent('main')).toContain('Remis à un bénéficiaire');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('the 404 page for an unknown code: French, no serious or critical violation', async () => {
    const { page, blocking } = await audit('/d/RN-0000-0000', 404, 320);
    expect(describeViolations(blocking)).toEqual([]);
    expect(await page.textContent('h1')).toBe('Matériel introuvable');
    await page.context().close();
  });
});
