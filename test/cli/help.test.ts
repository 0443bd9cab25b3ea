import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommands } from '../../cli/commands-run.ts';
import { useCommands } from '../../cli/commands-use.ts';
import { serviceNames } from '../../platform/config/runtime.ts';
import { projectRoot } from '../../platform/paths.ts';
import { runCli } from '../helpers/cli.ts';

const all = [...useCommands, ...runCommands];

describe('portico help, version and usage errors', () => {
  it('groups the commands into using and running the platform, with variables and exit codes', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const section = (title: string) => stdout.split(`\n${title}\n`)[1]!.split('\n\n')[0]!;
    const names = (text: string) => text.split('\n').map((line) => line.trim().split(/\s+/)[0]);
    expect(names(section('Use the platform'))).toEqual([
      'status',
      'models',
      'usage',
      'login',
      'logout',
      'token',
    ]);
    expect(names(section('Run the platform'))).toEqual([
      'dev',
      'serve',
      'compose',
      'codegen',
      'manifest',
      'schema',
      'keys',
    ]);
    for (const variable of ['PORTICO_TOKEN', 'PORTICO_CLI_URL', 'PORTICO_CONFIG_DIR', 'NO_COLOR', 'TZ'])
      expect(section('Environment')).toMatch(new RegExp(`^  ${variable} `, 'm'));
    expect(names(section('Exit codes'))).toEqual(['0', '1', '2', '3', '4']);
    expect((await runCli(['-h'])).stdout).toBe(stdout);
    expect((await runCli(['help'])).stdout).toBe(stdout);
  });

  it.each(all.map((spec) => [spec.name, spec] as const))(
    '%s --help shows its usage and every option',
    async (name, spec) => {
      const long = await runCli([name, '--help']);
      expect(long.code).toBe(0);
      expect(long.stderr).toBe('');
      expect(long.stdout).toMatch(new RegExp(`^portico ${name}: .+\n\nUsage\n  portico ${name}`));
      for (const option of spec.options) {
        const flag = `${option.short ? `-${option.short}, ` : '    '}--${option.name}`;
        expect(long.stdout).toContain(flag);
      }
      // -h, anywhere before `--`, and `portico help <command>` show the same.
      expect((await runCli([name, 'x', '-h'])).stdout).toBe(long.stdout);
      expect((await runCli(['help', name])).stdout).toBe(long.stdout);
    },
  );

  it('lists every service under serve, and --client under token', async () => {
    const serve = (await runCli(['serve', '--help'])).stdout;
    for (const service of serviceNames) expect(serve).toMatch(new RegExp(`^  ${service} +\\S`, 'm'));
    expect((await runCli(['token', '--help'])).stdout).toMatch(/^ {6}--client <api client> +the API client/m);
  });

  it('prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      expect(result).toEqual({ code: 0, stdout: `portico ${version}`, stderr: '' });
    }
  });

  it('exits 2 on a usage error, with the message on stderr and nothing on stdout', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^portico \S+: the Portico platform/);

    const typo = await runCli(['stauts']);
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'portico: unknown command "stauts"; did you mean status?\nRun \'portico --help\' for the commands.',
    });

    const option = await runCli(['status', '--verbose']);
    expect(option).toEqual({
      code: 2,
      stdout: '',
      stderr: "portico status: unknown option '--verbose'\nRun 'portico status --help' for its options.",
    });

    const value = await runCli(['usage', '-w', 'fortnight']);
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^portico usage: --window takes 1d, 7d or 30d, not "fortnight"/);
    expect((await runCli(['models', '-n', '500'])).stderr).toMatch(
      /--first takes a whole number from 1 to 100/,
    );
    expect((await runCli(['status', '--timeout', 'soon'])).stderr).toMatch(/--timeout takes a duration/);
    const url = await runCli(['status'], { env: { PORTICO_CLI_URL: 'ftp://example' } });
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/PORTICO_CLI_URL must be an http or https URL/);
  });

  it('refuses a token that would be expired before it is used', async () => {
    const zero = await runCli(['token', '--sub', 'acme-user-1', '--ttl', '0s']);
    expect(zero.code).toBe(2);
    expect(zero.stdout).toBe('');
    expect(zero.stderr).toMatch(/^portico token: --ttl must be longer than 0/);
    const bad = await runCli(['token', '--sub', 'acme-user-1', '--ttl', 'forever']);
    expect(bad.stderr).toMatch(/--ttl takes a lifetime such as 30m, 12h or 7d, not "forever"/);
    const missing = await runCli(['token']);
    expect(missing.stderr).toMatch(/--sub is required/);
  });
});
