import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { emptyConfigDir, runCli, spawnCli } from '../helpers/cli.ts';
import { closedPortUrl, startPlatform, type TestPlatform } from '../helpers/platform.ts';

// Colour codes: what NO_COLOR and pipes must never get.
const ESCAPE = '\u001b[';

describe('the portico terminal client', () => {
  let platform: TestPlatform;
  let bff: TestBff;
  let token: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    platform = await startPlatform();
    bff = await startBff('cli', platform);
    token = await platform.token({ sub: 'acme-user-1', tenant: 'acme' });
    env = { PORTICO_CLI_URL: bff.url, PORTICO_TOKEN: token, PORTICO_CONFIG_DIR: emptyConfigDir() };
  });
  afterAll(async () => {
    await bff.close();
    await platform.close();
  });

  it('prints status as aligned text with local, relative times', async () => {
    const { code, stdout, stderr } = await runCli(['status'], { env });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Platform {2}(Operational|Degraded|Outage) · checked (just now|\d+ s ago)\n/);
    expect(stdout).toMatch(/\n {2}SERVICE +STATUS +LATENCY\n {2}inference-api +Operational +\d+ ms\n/);
    // Every service row starts its status where the header's STATUS starts, and ends its latency where LATENCY ends.
    const lines = stdout.split('\n');
    const header = lines.findIndex((line) => line.trimStart().startsWith('SERVICE'));
    const statusAt = lines[header]!.indexOf('STATUS');
    for (const row of lines.slice(header + 1, header + 6)) {
      expect(row.slice(statusAt)).toMatch(/^(Operational|Degraded|Outage) /);
      expect(row.length).toBe(lines[header]!.length);
    }
    expect(stdout).toMatch(
      /\n {2}Minor {2}Elevated latency .+ · since (\d\d:\d\d|\w{3} \d+ \w{3} \d\d:\d\d) \(\d+ \w+ ago\)\n/,
    );
    expect(stdout).toMatch(/\nAccount {3}Acme Corp · Enterprise · [\d.]+ % of the 30-day token quota used$/);
    // No raw ISO timestamps and no colour in a pipe.
    expect(stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(stdout).not.toContain(ESCAPE);
  });

  it('shows the public platform status without a token, and says why the account is missing', async () => {
    const { code, stdout, stderr } = await runCli(['status'], {
      env: { PORTICO_CLI_URL: bff.url, PORTICO_CONFIG_DIR: emptyConfigDir() },
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Platform /);
    expect(stdout).not.toMatch(/Account/);
    expect(stderr).toBe(
      'portico: not signed in, so your account is not shown (portico login, or set PORTICO_TOKEN)',
    );
    const json = JSON.parse(
      (await runCli(['status', '--json'], { env: { PORTICO_CLI_URL: bff.url } })).stdout,
    );
    expect(json.data.status.account).toBeNull();
    expect(json.errors).toEqual([]);
  });

  it('prints a page of models with columns aligned and a footer saying how to page', async () => {
    const first = await runCli(['models', '-n', '4'], { env });
    expect(first.code).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +IN \/ 1K +OUT \/ 1K +AVAILABILITY +REQUESTS 7D$/);
    const statusColumn = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1, 5))
      expect(line.slice(statusColumn)).toMatch(/^(GA|Preview|Deprecated) /);
    const footer = /^Showing 4 of 30 models\. Next page: portico models -n 4 --after (\S+)$/.exec(
      lines.at(-1)!,
    );
    expect(footer, lines.at(-1)).not.toBeNull();
    const next = await runCli(['models', '-n', '4', '--after', footer![1]!], { env });
    const ids = (text: string) =>
      text
        .split('\n')
        .slice(1, 5)
        .map((line) => line.split(' ')[0]);
    expect(ids(next.stdout)).toHaveLength(4);
    for (const id of ids(next.stdout)) expect(ids(first.stdout)).not.toContain(id);
    const all = await runCli(['models', '--first', '30'], { env });
    expect(all.stdout.split('\n').at(-1)).toBe('Showing 30 of 30 models');
  });

  it('prints usage per day with a total row, and JSON for scripts', async () => {
    const text = await runCli(['usage', '-w', '7d'], { env });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Usage for the last 7 days in \S+, from \w{3} \d+ \w{3} 00:00 to now \(\d\d:\d\d\)$/,
    );
    expect(lines.filter((line) => /^\d{4}-\d{2}-\d{2} \w{3} /.test(line))).toHaveLength(7);
    expect(lines.filter((line) => /so far$/.test(line))).toHaveLength(1);
    const total = lines.at(-1)!;
    expect(total).toMatch(/^Total +[\d,]+ +[\d,]+ +[\d,]+ +\$[\d,]+\.\d\d$/);
    // The total's cells end where the header's do.
    expect(total.length).toBe(lines[2]!.length);

    const json = await runCli(['usage', '--window', '30d', '--json'], { env });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.data.usage.window).toBe('D30');
    expect(parsed.data.usage.days).toHaveLength(30);
    expect(parsed.errors).toEqual([]);
  });

  it('labels days with the calendar of the time zone it runs in', async () => {
    // Fourteen hours ahead of UTC and eleven behind: on any instant their dates differ.
    const dates: string[] = [];
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const today = () => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
      const before = today();
      const { code, stdout, stderr } = await spawnCli(['usage', '-w', '1d'], { ...env, TZ: timeZone });
      const after = today();
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage for today in ${timeZone}, from 00:00 to now`));
      const day = /\n(\d{4}-\d{2}-\d{2}) \w{3} .+so far\n/.exec(stdout)?.[1];
      expect([before, after]).toContain(day);
      dates.push(day!);
    }
    expect(dates[0]).not.toBe(dates[1]);
  });

  it('ends quietly with status 0 when the reader closes the pipe early', async () => {
    const closed = await spawnCli(['usage', '-w', '30d'], env, { closeStdout: true });
    expect(closed).toEqual({ code: 0, stdout: '', stderr: '' });
    const help = await spawnCli(['--help'], env, { closeStdout: true });
    expect(help).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('keeps failures off stdout: unreachable is 1, no token and a rejected token are 3', async () => {
    const unreachable = await spawnCli(['usage'], { ...env, PORTICO_CLI_URL: await closedPortUrl() });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr).toMatch(
      /^portico: cannot reach the Portico CLI service at http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\); is the platform running/,
    );

    const none = await runCli(['usage'], {
      env: { PORTICO_CLI_URL: bff.url, PORTICO_CONFIG_DIR: emptyConfigDir() },
    });
    expect(none).toEqual({
      code: 3,
      stdout: '',
      stderr: 'portico: not signed in: run portico login (development), or set PORTICO_TOKEN to a token',
    });

    const rejected = await runCli(['models', '--token', 'not.a.token'], { env });
    expect(rejected.code).toBe(3);
    expect(rejected.stdout).toBe('');
    expect(rejected.stderr).toMatch(
      /^portico: token rejected: .+ \(the token from --token\); get a new one with portico login$/,
    );

    // An expired token is refused before any call, saying so (the payload is all the check reads).
    const exp = Math.floor(Date.now() / 1000) - 3_600;
    const stale = `e30.${Buffer.from(JSON.stringify({ sub: 'acme-user-1', exp })).toString('base64url')}.c2ln`;
    const expired = await runCli(['status'], { env: { ...env, PORTICO_TOKEN: stale } });
    expect(expired).toEqual({
      code: 3,
      stdout: '',
      stderr: 'portico: the token from PORTICO_TOKEN expired 1 h ago; get a new one with portico login',
    });
  });

  it('exits 4 when rate limited, saying when to try again', async () => {
    // usage allows 30 calls a minute per caller; this caller has its own token, so its own budget.
    const caller = await platform.token({ sub: 'acme-user-2' });
    const query = { query: '{ usage(window: D1) { requests } }' };
    for (let i = 0; i < 30; i += 1) await bff.query(query, { token: caller });
    const limited = await runCli(['usage', '-w', '1d'], { env: { ...env, PORTICO_TOKEN: caller } });
    expect(limited.code).toBe(4);
    expect(limited.stdout).toBe('');
    expect(limited.stderr).toMatch(/^portico: usage unavailable: rate limited: try again in \d+ (s|min)$/);
  });

  it('colours only a terminal, and never with NO_COLOR', async () => {
    const terminal = await runCli(['status'], { env, terminalColumns: 100 });
    expect(terminal.stdout).toContain(ESCAPE);
    const noColor = await runCli(['status'], { env: { ...env, NO_COLOR: '1' }, terminalColumns: 100 });
    expect(noColor.stdout).not.toContain(ESCAPE);
    // The same text, colour aside.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping colour codes.
    expect(terminal.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(noColor.stdout);
    const usage = await runCli(['usage'], { env: { ...env, NO_COLOR: '1' }, terminalColumns: 120 });
    expect(usage.stdout).not.toContain(ESCAPE);
    expect(usage.stdout).toMatch(/▇/);
    const piped = await spawnCli(['usage'], env);
    expect(piped.stdout).not.toContain(ESCAPE);
    expect(piped.stdout).not.toMatch(/▇/);
  });
});
