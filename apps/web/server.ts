import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import { projectRoot } from '../../platform/paths.ts';
import { createService, type Service } from '../../platform/service.ts';

const appDir = join(projectRoot, 'apps', 'web');

/**
 * The browser bundle: apps/web/src bundled by esbuild when the service starts (about a tenth of a
 * second), kept in memory. Plain TypeScript and the DOM: the only code shipped is ours.
 */
async function bundle(development: boolean): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(appDir, 'src', 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: !development,
    sourcemap: development ? 'inline' : false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * The reference web app: a dashboard on the web BFF, served as a page and its script on its own
 * port (so it calls the BFF cross-origin, through CORS, as a deployed app would). The page finds
 * the BFF and the dev issuer on its own host at their configured ports.
 */
export async function buildWebApp(config: Readonly<PorticoConfig>): Promise<Service> {
  const service = createService({ name: 'webapp', config });
  const development = config.environment === 'development';
  const script = await bundle(development);
  // Inside a JSON script element only "</" could end it early; it is escaped.
  const settings = JSON.stringify({ bffPort: config.ports.web, issuerPort: config.ports.issuer }).replace(
    /</g,
    '\\u003c',
  );
  const slot = '<script type="application/json" id="portico-config">{}</script>';
  const page = readFileSync(join(appDir, 'index.html'), 'utf8');
  if (!page.includes(slot)) throw new Error('apps/web/index.html has no portico-config script to fill');
  const html = page.replace(slot, slot.replace('{}', settings));
  const headers = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  service.app.get('/', async (_request, reply) =>
    reply.headers(headers).type('text/html; charset=utf-8').send(html),
  );
  service.app.get('/app.js', async (_request, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(script),
  );
  service.addReadinessCheck('bundle', () => true);
  return service;
}
