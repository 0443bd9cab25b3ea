#!/usr/bin/env node
// The installed `portico` command. It runs the compiled JavaScript in dist/, compiling first when
// the TypeScript sources changed since the last build (so the command and the code in the
// repository are always the same version, and it starts in a fraction of the time tsx needs).
import module from 'node:module';
import { ensureBuilt } from '../scripts/build.js';

// Node 22+ keeps V8's compiled code of every loaded module on disk: later starts skip most parsing.
module.enableCompileCache?.();

const { run } = await import(await ensureBuilt());
await run(process.argv.slice(2));
