import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../platform/service.ts';
import { buildService } from '../../platform/services.ts';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { testConfig } from '../helpers/config.ts';
import { type FaultServer, startFaultServer } from '../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { chromiumMissing, launchChromium, screenshot } from './browser.ts';

const port = (url: string) => Number(new URL(url).port);

/** The reference web app on its own port, pointed at a BFF and the platform's dev issuer. */
async function startApp(bff: TestBff, platform: TestPlatform): Promise<{ url: string; service: Service }> {
  const service = await buildService(
    'webapp',
    testConfig({ ports: { web: port(bff.url), issuer: port(platform.issuerUrl) } }),
  );
  return { url: `${await service.listen(0, '127.0.0.1')}/`, service };
}

const card = (page: Page, name: string) => page.locator(`[data-card="${name}"]`);

/** Signs in through the dev sign-in form, as a person would, and waits for the dashboard. */
async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#app[data-state="dashboard"]').waitFor();
}

async function refresh(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.locator('#app[data-state="dashboard"]').waitFor();
}

describe.skipIf(chromiumMissing)('the reference web app in Chromium', () => {
  let platform: TestPlatform;
  let billing: FaultServer;
  let health: FaultServer;
  let bff: TestBff;
  let app: { url: string; service: Service };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    billing = await startFaultServer({ upstream: 'billing' });
    health = await startFaultServer({ upstream: 'health' });
    platform = await startPlatform({ subgraphUrls: { billing: billing.url, health: health.url } });
    bff = await startBff('web', platform);
    app = await startApp(bff, platform);
    browser = await launchChromium(['refused.test']);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    closers.push(
      () => browser.close(),
      () => app.service.close(),
      () => bff.close(),
      () => platform.close(),
      () => billing.close(),
      () => health.close(),
    );
  }, 90_000);
  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
  });

  it('signs in with the dev issuer and shows every card, from another origin than the BFF', async () => {
    await signIn(page, app.url);
    await expect(card(page, 'account').innerText()).resolves.toMatch(/Tenant\s+Acme Corp/);
    await expect(card(page, 'account').innerText()).resolves.toMatch(/Signed in as\s+.+\(acme-user-1\)/);
    await expect(card(page, 'quota').innerText()).resolves.toMatch(/Tokens\s+[\d.]+% of [\d,]+/);
    expect(await card(page, 'models').locator('li.model').count()).toBe(6);
    await expect(card(page, 'health').innerText()).resolves.toMatch(
      /Overall\s+(OPERATIONAL|DEGRADED|OUTAGE)/,
    );
    expect(await card(page, 'invoices').locator('tr').count()).toBeGreaterThan(0);
    expect(await page.locator('.card.degraded, .badge.stale, .unknown').allInnerTexts()).toEqual([]);
    await screenshot(page, 'healthy');
  }, 60_000);

  it('with billing down, degrades the billing cards alone, naming billing and that retrying may help', async () => {
    billing.set({ kind: 'status', status: 503 });
    try {
      await refresh(page);
      for (const name of ['account', 'quota', 'invoices']) {
        const text = await card(page, name).innerText();
        expect(text, name).toMatch(/billing is unavailable \(SUBGRAPH_UNAVAILABLE\)\. Retrying may help\./);
        expect(await card(page, name).getByRole('button', { name: 'Retry' }).count(), name).toBe(1);
      }
      expect(await card(page, 'models').locator('li.model').count()).toBe(6);
      await expect(card(page, 'health').innerText()).resolves.toMatch(/Overall/);
      expect(await page.locator('.card.degraded').count()).toBe(3);
      await screenshot(page, 'billing-down');
    } finally {
      billing.set({ kind: 'ok' });
    }
  }, 60_000);

  it('with health late, shows the last health with a stale badge and its age, and availability unknown per model', async () => {
    health.set({ kind: 'slow', ms: 2_500 });
    try {
      await refresh(page);
      const badge = card(page, 'health').locator('.badge.stale');
      await expect(badge.innerText()).resolves.toMatch(/^stale · \d+ (s|min) old$/);
      await expect(card(page, 'health').innerText()).resolves.toMatch(/Overall/);
      const notes = card(page, 'models').locator('.unknown');
      expect(await notes.count()).toBe(6);
      expect((await notes.first().innerText()).replace(/\s+/g, ' ')).toMatch(
        /availability unknown: health did not answer in time \(SUBGRAPH_TIMEOUT\)\. Retrying may help\./,
      );
      await expect(card(page, 'account').innerText()).resolves.toMatch(/Acme Corp/);
      await screenshot(page, 'health-late');
    } finally {
      health.set({ kind: 'ok' });
    }
  }, 60_000);

  it('shows a whole-page sign-in state for a token the BFF refuses (401)', async () => {
    await page.evaluate(() => sessionStorage.setItem('portico.token', 'not-a-token'));
    await page.reload();
    await page.locator('#app[data-state="unauthenticated"]').waitFor();
    await expect(page.locator('#app').innerText()).resolves.toMatch(/Please sign in again/);
    expect(await page.locator('[data-card]').count()).toBe(0);
    await screenshot(page, 'unauthenticated');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#app[data-state="signed-out"]').waitFor();
  }, 60_000);

  it('shows a whole-page 429 state that counts Retry-After down, read across origins', async () => {
    const limited = await platform.addGateway({
      rateLimits: { limits: [{ name: 'tight', per: 'tenant', limit: 2, windowSec: 30 }] },
    });
    const limitedBff = await startBff('web', { gatewayUrl: limited.url, config: platform.config });
    const limitedApp = await startApp(limitedBff, platform);
    closers.unshift(
      () => limitedApp.service.close(),
      () => limitedBff.close(),
    );
    const other = await context.newPage();
    await other.goto(limitedApp.url);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.locator('#app[data-state="rate-limited"]').waitFor();
    await expect(other.locator('#app').innerText()).resolves.toMatch(/Too many requests/);
    const first = Number(await other.locator('.countdown').innerText());
    expect(first).toBeGreaterThan(1);
    expect(first).toBeLessThanOrEqual(30);
    await screenshot(other, 'rate-limited');
    await other.waitForFunction(
      (start) => Number(document.querySelector('.countdown')?.textContent) < start,
      first,
      { timeout: 10_000 },
    );
    await other.close();
  }, 60_000);

  it('from an origin the BFF does not allow, the browser refuses the call and the page says so', async () => {
    const refused = await context.newPage();
    const messages: string[] = [];
    refused.on('console', (message) => messages.push(message.text()));
    const token = await platform.token();
    const url = app.url.replace('127.0.0.1', 'refused.test');
    await refused.goto(url);
    await refused.evaluate((t) => sessionStorage.setItem('portico.token', t), token);
    await refused.reload();
    await refused.locator('#app[data-state="failed"]').waitFor();
    await expect(refused.locator('#app').innerText()).resolves.toMatch(
      /cannot reach the web BFF .*this page's origin is not allowed/,
    );
    expect(messages.join('\n')).toMatch(/blocked by CORS policy/);
    await screenshot(refused, 'refused-origin');
    await refused.close();
  }, 60_000);
});
