import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, resolveFromRoot } from '../../platform/config/load.ts';
import { type SchemaCheckConfig, schemaCheckSection } from '../../platform/config/schema-check.ts';
import { projectRoot } from '../../platform/paths.ts';
import type { CommandIO } from '../io.ts';
import { runSchemaCheck } from './check.ts';
import { SchemaCheckInputError } from './input-error.ts';
import { fromExport, readUsageFile } from './recorded.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderText } from './render-text.ts';
import type { SchemaCheckReport } from './report.ts';

const usage = [
  'usage: portico schema check [--base <git ref>] [--strict] [--format text|markdown|json]',
  '                            [--config supergraph.yaml] [--supergraph supergraph.graphql] [--root <dir>]',
  '                            [--usage <usage.json|redis>] [--since 30d] [--gateway <admin url>]',
  '       portico schema usage [--since 30d] [--gateway <admin url>] > usage.json',
].join('\n');

const renderers: Record<string, (report: SchemaCheckReport) => string> = {
  text: renderText,
  markdown: renderMarkdown,
  json: (report) => JSON.stringify(report, null, 2),
};

/** portico.yaml's schemaCheck section: the project's own, or the one under --root (defaults if none). */
function sectionFor(root: string): SchemaCheckConfig {
  if (root === projectRoot) return loadConfig().schemaCheck;
  const file = join(root, 'portico.yaml');
  return existsSync(file) ? loadConfig({ path: file }).schemaCheck : schemaCheckSection.parse(undefined);
}

/**
 * `portico schema check` (npm run schema:check): composes supergraph.yaml, diffs the API schema
 * against the committed supergraph (or the one at --base), and names the registered client
 * operations each change breaks. Exit codes: 0 pass, 1 fail, 2 usage or input error.
 */
async function checkCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: {
    base?: string;
    strict?: boolean;
    format?: string;
    config?: string;
    supergraph?: string;
    root?: string;
    usage?: string;
    since?: string;
    gateway?: string;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: 'string' },
        strict: { type: 'boolean' },
        format: { type: 'string' },
        config: { type: 'string' },
        supergraph: { type: 'string' },
        root: { type: 'string' },
        usage: { type: 'string' },
        since: { type: 'string' },
        gateway: { type: 'string' },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const render = renderers[values.format ?? 'text'];
  if (!render) {
    io.err(`--format takes text, markdown or json, not "${values.format}"\n${usage}`);
    return 2;
  }
  const root = values.root === undefined ? projectRoot : resolveFromRoot(values.root);
  try {
    const recorded = await recordedFrom(values.usage, values.since ?? '30d', values.gateway, io.env);
    const report = await runSchemaCheck({
      root,
      configPath: resolve(root, values.config ?? 'supergraph.yaml'),
      supergraphPath: resolve(root, values.supergraph ?? 'supergraph.graphql'),
      baseRef: values.base,
      strict: values.strict === true,
      config: sectionFor(root),
      recorded,
    });
    io.out(render(report));
    return report.verdict === 'pass' ? 0 : 1;
  } catch (error) {
    if (error instanceof SchemaCheckInputError || error instanceof ConfigError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/** `--usage usage.json`, or `--usage redis` / `--usage gateway` to read recorded usage live. */
async function recordedFrom(
  source: string | undefined,
  since: string,
  gateway: string | undefined,
  env: NodeJS.ProcessEnv | undefined,
) {
  if (source === undefined) return undefined;
  if (source !== 'redis' && source !== 'gateway') return readUsageFile(resolve(source));
  const { fetchUsage } = await import('./usage-command.ts');
  const config = loadConfig(env ? { env } : {});
  if (source === 'redis' && !config.redisUrl)
    throw new SchemaCheckInputError('--usage redis: no Redis is configured (REDIS_URL)');
  return fromExport(
    source,
    await fetchUsage(since, { config, gateway: source === 'gateway' ? gateway : undefined }),
  );
}

/** `portico schema usage`: the recorded field usage of a window, as JSON on stdout. */
async function usageCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: { since?: string; gateway?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { since: { type: 'string' }, gateway: { type: 'string' } },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  try {
    const { fetchUsage } = await import('./usage-command.ts');
    const config = loadConfig(io.env ? { env: io.env } : {});
    io.out(
      JSON.stringify(await fetchUsage(values.since ?? '30d', { gateway: values.gateway, config }), null, 2),
    );
    return 0;
  } catch (error) {
    if (error instanceof SchemaCheckInputError || error instanceof ConfigError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/** `portico schema <subcommand>`: `check`, and `usage` (recorded field usage). */
export async function schemaCommand(argv: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'check') return checkCommand(rest, io);
  if (sub === 'usage') return usageCommand(rest, io);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(usage);
    return 0;
  }
  io.err(`${sub ? `portico schema: unknown subcommand "${sub}"\n` : ''}${usage}`);
  return 2;
}
