/** dist/ folder and its entry point (dist/cli/main.js). */
export const distDir: string;
export const entry: string;
/** A digest of every source file's path, size and modification time. */
export function sourceFingerprint(): string;
/** Compiles the sources into dist/ (atomically swapped in). */
export function build(): Promise<void>;
/** Builds when dist/ is missing or stale; resolves with the entry point's file URL. */
export function ensureBuilt(): Promise<string>;
