import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { emptyConfigDir, runCli } from '../helpers/cli.ts';
import { type PlatformOptions, startPlatform, type TestPlatform } from '../helpers/platform.ts';

/** A platform with one backend failing, its CLI BFF, and the environment `portico` runs with. */
function degraded(options: PlatformOptions) {
  const stack = {} as { platform: TestPlatform; bff: TestBff; env: Record<string, string> };
  beforeAll(async () => {
    stack.platform = await startPlatform(options);
    stack.bff = await startBff('cli', stack.platform);
    stack.env = {
      PORTICO_CLI_URL: stack.bff.url,
      PORTICO_TOKEN: await stack.platform.token(),
      PORTICO_CONFIG_DIR: emptyConfigDir(),
    };
  });
  afterAll(async () => {
    await stack.bff.close();
    await stack.platform.close();
  });
  return stack;
}

const PARTIAL = 'portico: part of this answer could not be served (see above); --json has the error codes';

// One backend down costs its own line, in words; the codes stay in --json.
describe('the terminal client with one backend down', () => {
  describe('billing down', () => {
    const stack = degraded({ without: ['billing'] });

    it('status keeps the platform and says the account is unknown', async () => {
      const { code, stdout, stderr } = await runCli(['status'], { env: stack.env });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Platform {2}(Operational|Degraded|Outage) · checked/);
      expect(stdout.split('\n').at(-1)).toBe(
        'Account   unknown: the billing service is down; try again in a moment',
      );
      expect(stdout).not.toMatch(/SUBGRAPH_/);
      expect(stderr).toBe(PARTIAL);
      const json = JSON.parse((await runCli(['status', '--json'], { env: stack.env })).stdout);
      expect(json.errors).toEqual([
        expect.objectContaining({
          path: ['status', 'account'],
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', service: 'billing' }),
        }),
      ]);
    });

    it('usage is served from metering alone', async () => {
      const { code, stdout, stderr } = await runCli(['usage', '-w', '7d'], { env: stack.env });
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2} /.test(line))).toHaveLength(7);
    });
  });

  describe('metering down', () => {
    const stack = degraded({ without: ['metering'] });

    it('status keeps the account line and loses only the quota use', async () => {
      const { code, stdout, stderr } = await runCli(['status'], { env: stack.env });
      expect(code).toBe(0);
      expect(stdout.split('\n').at(-1)).toBe(
        'Account   Acme Corp · Enterprise · quota use unknown: the metering service is down; try again in a moment',
      );
      expect(stderr).toBe(PARTIAL);
    });

    it('models marks the requests it cannot know, aligned with their column, with one note', async () => {
      const { code, stdout } = await runCli(['models', '-n', '3'], { env: stack.env });
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      const right = lines[0]!.length;
      for (const row of lines.slice(1, 4)) {
        expect(row.length).toBe(right);
        expect(row.endsWith(' ?')).toBe(true);
      }
      expect(lines[4]).toBe('? requests unknown: the metering service is down; try again in a moment');
    });

    it('usage has nothing to show: exit 1, the reason on stderr, nothing on stdout', async () => {
      const result = await runCli(['usage'], { env: stack.env });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 'portico: usage unavailable: the metering service is down; try again in a moment',
      });
      // Scripts still get the answer, with the code, and the same exit status.
      const json = await runCli(['usage', '--json'], { env: stack.env });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({
        data: { usage: null },
        errors: [
          expect.objectContaining({
            path: ['usage'],
            extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', service: 'metering' }),
          }),
        ],
      });
    });
  });

  describe('health slow (answers after its timeout)', () => {
    const stack = degraded({ subgraphOverrides: { health: { faults: { delayMs: 2_500 } } } });

    it('status keeps the account and says the platform is unknown', async () => {
      const { code, stdout, stderr } = await runCli(['status'], { env: stack.env });
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toBe(
        'Platform  unknown: the health service did not answer in time; try again in a moment',
      );
      expect(lines.at(-1)).toMatch(
        /^Account {3}Acme Corp · Enterprise · [\d.]+ % of the 30-day token quota used$/,
      );
      expect(stderr).toBe(PARTIAL);
    });

    it('models shows availability as unknown, left-aligned like the words of its column', async () => {
      const { code, stdout } = await runCli(['models', '-n', '2'], { env: stack.env });
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      const column = lines[0]!.indexOf('AVAILABILITY');
      for (const row of lines.slice(1, 3)) expect(row.slice(column)).toMatch(/^\? {12}/);
      expect(lines[3]).toBe(
        '? availability unknown: the health service did not answer in time; try again in a moment',
      );
    });

    it('status without a token has nothing to show: exit 1, the reason on stderr', async () => {
      const result = await runCli(['status'], {
        env: { PORTICO_CLI_URL: stack.env.PORTICO_CLI_URL!, PORTICO_CONFIG_DIR: emptyConfigDir() },
      });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'portico: platform status unavailable: the health service did not answer in time; try again in a moment',
      });
    });
  });
});
