import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../paths.ts';
import { applyEnvOverrides } from './env.ts';
import { configSchema, type PorticoConfig } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Path of the YAML file; defaults to `PORTICO_CONFIG`, then `portico.yaml` at the project root. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra settings merged over the file (tests use it instead of writing YAML). */
  overrides?: Record<string, unknown>;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      isPlainObject(value) && isPlainObject(current) ? deepMerge(current, value) : (value as unknown);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function resolveFromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(projectRoot, path);
}

/**
 * Reads `portico.yaml`, applies environment overrides and validates the result once. Anything wrong
 * stops start-up with a message naming the key (and the variable, when one set it).
 */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<PorticoConfig> {
  const env = options.env ?? process.env;
  const file = resolveFromRoot(options.path ?? env.PORTICO_CONFIG ?? 'portico.yaml');
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && !isPlainObject(parsed)) {
      throw new ConfigError(`${file}: the top level must be a mapping of settings`);
    }
    raw = (parsed as Record<string, unknown> | null) ?? {};
  } else if (options.path ?? env.PORTICO_CONFIG) {
    throw new ConfigError(`config file not found: ${file}`);
  }
  if (options.overrides) raw = deepMerge(raw, options.overrides);
  const origins = applyEnvOverrides(raw, env);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(top level)';
      const origin = origins.get(key);
      const where = origin ? `${key} (from ${origin})` : key;
      const unknown =
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((k) => [key, k].filter((p) => p !== '(top level)').join('.'))
          : [];
      return unknown.length > 0 ? `unknown key ${unknown.join(', ')}` : `${where}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration in ${file}:\n  ${lines.join('\n  ')}`);
  }
  return deepFreeze(result.data);
}
