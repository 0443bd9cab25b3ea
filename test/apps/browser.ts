import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../platform/paths.ts';

/** Debian's Chromium (`.ci/run` installs it when missing); playwright-core never downloads one. */
export const CHROMIUM = process.env.PORTICO_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

/** Screenshots a test keeps for people to look at (git-ignored). */
export const artefactDir = join(projectRoot, 'test-artifacts', 'web-app');

/**
 * Headless Chromium driven by playwright-core. `hosts` resolve to 127.0.0.1 in this browser only,
 * so a page can be served from another origin (another host name) without touching the machine.
 */
export async function launchChromium(hosts: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Tests run as root in CI, where Chromium's sandbox cannot start.
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      ...(hosts.length > 0
        ? [`--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`]
        : []),
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artefactDir, { recursive: true });
  const path = join(artefactDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
