import { describe, expect, it } from 'vitest';
import { parseDevArgs } from '../../cli/dev.ts';
import { startProgress } from '../../cli/dev-progress.ts';
import type { CommandIO } from '../../cli/io.ts';

describe('portico dev options', () => {
  it('defaults to a 120 s limit without progress, and takes --timeout in whole seconds', () => {
    expect(parseDevArgs([])).toMatchObject({ timeoutSec: 120, verbose: false });
    expect(parseDevArgs(['--timeout', '0'])).toMatchObject({ timeoutSec: 0 });
    expect(parseDevArgs(['--timeout', '300'])).toMatchObject({ timeoutSec: 300 });
    expect(parseDevArgs(['--timeout', 'soon'])).toBe(
      '--timeout takes whole seconds (0: wait for ever); got "soon"',
    );
    expect(parseDevArgs(['--timeout=-1'])).toMatch(/^--timeout takes whole seconds/);
  });

  it('takes subgraphs only for --without and --delay', () => {
    expect(parseDevArgs(['--without', 'gateway'])).toMatch(
      /--without takes a subgraph \(models, billing, metering, health\)/,
    );
    expect(parseDevArgs(['--delay', 'health=x'])).toMatch(/--delay takes <subgraph>=<ms>/);
    const options = parseDevArgs(['--without', 'billing,metering', '--delay', 'health=2000']);
    expect(typeof options === 'object' && [...options.without]).toEqual(['billing', 'metering']);
  });
});

describe('the launcher progress line', () => {
  const capture = (terminal: boolean) => {
    const lines: string[] = [];
    const io: CommandIO = {
      out: (line) => lines.push(`out:${line}`),
      err: (line) => lines.push(`err:${line}`),
      ...(terminal ? { progress: (text: string | null) => lines.push(`progress:${text}`) } : {}),
    };
    return { io, lines };
  };

  it('prints one line per change when the output is not a terminal', () => {
    const { io, lines } = capture(false);
    const progress = startProgress(io, 9, Date.now() - 3_200);
    progress.update(
      ['issuer', 'models', 'billing', 'metering', 'health', 'web'],
      ['gateway', 'mobile', 'cli'],
    );
    expect(lines).toEqual(['out:6/9 ready, waiting for gateway, mobile, cli (3 s)']);
  });

  it('redraws in place on a terminal, and clears itself around other output', () => {
    const { io, lines } = capture(true);
    const progress = startProgress(io, 2, Date.now());
    progress.update(['a'], ['gateway']);
    progress.io.err('gateway | a warning');
    progress.done();
    expect(lines).toEqual([
      'progress:1/2 ready, waiting for gateway (0 s)',
      'progress:null',
      'err:gateway | a warning',
      'progress:1/2 ready, waiting for gateway (0 s)',
      'progress:null',
    ]);
  });
});
