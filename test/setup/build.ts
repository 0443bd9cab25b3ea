import { ensureBuilt } from '../../scripts/build.js';

/** Builds dist/ once before any test runs, when the sources changed since the last build. */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
