// Compiles Portico's TypeScript to JavaScript in dist/, so services start without transpiling.
//
//   node scripts/build.js          build now (npm run build; the Docker image does this)
//   ensureBuilt() from bin/portico.js: build only when the sources changed since the last build
//
// Transpile only (esbuild): types are checked by `npm run typecheck`, not here. Our code is
// bundled into dist/cli/main.js plus shared chunks (one per dynamically imported piece, so a
// process loads only the services it runs); packages stay in node_modules, imported as usual.
// Plain JavaScript, because it must run before anything is compiled.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Folders whose TypeScript goes into the build; a change in any of them means a rebuild. */
const sourceDirs = ['platform', 'subgraphs', 'gateway', 'bffs', 'cli', 'issuer', 'apps'];
/** Files outside those folders that change what the build emits. */
const buildInputs = ['package.json', 'tsconfig.json', 'scripts/build.js'];
export const distDir = join(root, 'dist');
export const entry = join(distDir, 'cli', 'main.js');
const stampFile = '.sources';

/**
 * What the build was made from: every source file's path, size and modification time. Cheap to
 * compute (a stat per file, a few milliseconds), and any edit, checkout or new file changes it.
 */
export function sourceFingerprint() {
  const files = [...buildInputs];
  for (const dir of sourceDirs) {
    for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.ts')) files.push(join(dir, file));
    }
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    const stat = statSync(join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function builtFrom() {
  try {
    return readFileSync(join(distDir, stampFile), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Builds into a fresh folder and swaps it in with renames, so a process never loads a half-written
 * dist/, and two processes that build at once both end with a whole one (the last rename wins;
 * both built the same sources).
 */
export async function build() {
  const fingerprint = sourceFingerprint();
  const { build: esbuild } = await import('esbuild');
  const staging = `${distDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: root,
    entryPoints: ['cli/main.ts'],
    outbase: '.',
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(join(staging, stampFile), fingerprint);
  const old = `${distDir}.${process.pid}.old`;
  try {
    try {
      renameSync(distDir, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(staging, distDir);
    } catch (error) {
      // Another process swapped its build in between our two renames: it built the same sources.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
  } finally {
    rmSync(old, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Builds dist/ when it is missing or older than the sources, saying so on stderr; returns the
 * compiled entry point's URL.
 */
export async function ensureBuilt() {
  if (builtFrom() !== sourceFingerprint()) {
    const started = performance.now();
    process.stderr.write(
      'portico: compiling the TypeScript sources to dist/ (they changed since the last build) ...',
    );
    await build();
    process.stderr.write(` done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return pathToFileURL(entry).href;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
