import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { runCli } from '../helpers/cli.ts';
import { closedPortUrl, startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { spawnPortico } from '../helpers/process.ts';

describe('the portico terminal client', () => {
  let healthy: TestPlatform;
  let degraded: TestPlatform;
  let bff: TestBff;
  let degradedBff: TestBff;
  let token: string;
  beforeAll(async () => {
    healthy = await startPlatform();
    degraded = await startPlatform({ without: ['health', 'billing'] });
    bff = await startBff('cli', healthy);
    degradedBff = await startBff('cli', degraded);
    token = await healthy.token({ sub: 'acme-user-1', tenant: 'acme' });
  });
  afterAll(async () => {
    await bff.close();
    await degradedBff.close();
    await healthy.close();
    await degraded.close();
  });

  it('prints status as aligned text', async () => {
    const { code, stdout, stderr } = await runCli(['status', '--url', bff.url, '--token', token]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Platform {2}(OPERATIONAL|DEGRADED) {2}\(checked /);
    expect(stdout).toMatch(/\n {2}SERVICE +STATUS +LATENCY\n {2}inference-api +OPERATIONAL +\d+\.\d ms/);
    // Every service row starts its status where the header's STATUS starts, and ends its latency where LATENCY ends.
    const lines = stdout.split('\n');
    const header = lines.findIndex((line) => line.trimStart().startsWith('SERVICE'));
    const rows = lines.slice(header + 1, header + 6);
    const statusAt = lines[header]!.indexOf('STATUS');
    for (const row of rows) {
      expect(row.slice(statusAt)).toMatch(/^(OPERATIONAL|DEGRADED|OUTAGE) /);
      expect(row.length).toBe(lines[header]!.length);
    }
    expect(stdout).toMatch(/Account {3}Acme Corp · Enterprise · [\d.]+ % of the token quota used/);
  });

  it('prints the models table with columns aligned', async () => {
    const { code, stdout } = await runCli(['models', '--first', '4', '--url', bff.url, '--token', token]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +IN \/ 1K +OUT \/ 1K +AVAILABILITY +REQUESTS 7D$/);
    const statusColumn = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(statusColumn)).toMatch(/^(GA|PREVIEW|DEPRECATED) /);
  });

  it('prints usage for a window, and JSON for scripts', async () => {
    const text = await runCli(['usage', '--window', '7d', '--url', bff.url, '--token', token]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2} /.test(line))).toHaveLength(7);
    const json = await runCli(['usage', '--window', '30d', '--json', '--url', bff.url, '--token', token]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.data.usage.window).toBe('D30');
    expect(parsed.data.usage.days).toHaveLength(30);
    expect(parsed.errors).toEqual([]);
  });

  it('shows degraded parts as such, naming the backend', async () => {
    const token = await degraded.token({ sub: 'acme-user-1', tenant: 'acme' });
    const models = await runCli(['models', '--first', '3', '--url', degradedBff.url, '--token', token]);
    expect(models.code).toBe(0);
    expect(models.stdout).toMatch(/AVAILABILITY/);
    expect(models.stdout).toMatch(
      /\? availability unavailable \(health: SUBGRAPH_UNAVAILABLE, retry may help\)/,
    );
    expect(models.stderr).toMatch(/degraded: 3 part\(s\)/);
    const status = await runCli(['status', '--url', degradedBff.url, '--token', token]);
    expect(status.stdout).toBe('platform status unavailable (health: SUBGRAPH_UNAVAILABLE, retry may help)');
    expect(status.code).toBe(1);
    const usage = await runCli(['usage', '--url', degradedBff.url, '--token', token]);
    expect(usage.stdout).toBe('usage unavailable (billing: SUBGRAPH_UNAVAILABLE, retry may help)');
    expect(usage.code).toBe(1);
  });

  it('exits non-zero with a clear message when the BFF is unreachable', async () => {
    const { code, stderr } = await runCli(['status', '--url', await closedPortUrl(), '--token', token]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^portico: cannot reach the Portico CLI service at http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\); is it running/,
    );
  });

  it('exits 3 when the token is rejected or missing', async () => {
    const bad = await runCli(['models', '--url', bff.url, '--token', 'garbage']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^portico: token rejected: invalid token: malformed token/);
    const missing = await runCli(['usage', '--url', bff.url]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/token rejected/);
  });

  it('takes the token and URL from the environment, as the installed command does', async () => {
    const proc = spawnPortico(['models', '--first', '2'], { PORTICO_TOKEN: token, PORTICO_CLI_URL: bff.url });
    expect(await proc.exited).toBe(0);
    expect(proc.output().split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stderr } = await runCli([
      'usage',
      '--window',
      'fortnight',
      '--url',
      bff.url,
      '--token',
      token,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--window takes 1d, 7d or 30d/);
  });
});
