#!/usr/bin/env node
// The installed `portico` command. It runs the TypeScript sources through tsx, so the command and
// the code in the repository are always the same version (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../cli/main.ts');
await run(process.argv.slice(2));
