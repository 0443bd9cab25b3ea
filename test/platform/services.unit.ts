import { describe, expect, it } from 'vitest';
import { platformServices } from '../../cli/dev.ts';
import { loadConfig } from '../../platform/config/load.ts';
import { bffNames, portVariable, serviceNames, services, subgraphNames } from '../../platform/services.ts';
import { runCli } from '../helpers/cli.ts';

/** The one table of services, and what derives from it. */
describe('service registry', () => {
  it('gives every service a port in the config, defaulting to its row', () => {
    const config = loadConfig({ env: {} });
    expect(Object.keys(config.ports).sort()).toEqual([...serviceNames].sort());
    for (const name of serviceNames) expect(config.ports[name], name).toBe(services[name].port);
    expect(new Set(serviceNames.map((name) => services[name].port)).size).toBe(serviceNames.length);
  });

  it('moves each port with PORTICO_<NAME>_PORT, and names the variable behind a bad value', () => {
    for (const [i, name] of serviceNames.entries()) {
      const variable = portVariable(name);
      expect(variable).toBe(`PORTICO_${name.toUpperCase()}_PORT`);
      expect(loadConfig({ env: { [variable]: String(20_000 + i) } }).ports[name]).toBe(20_000 + i);
      expect(() => loadConfig({ env: { [variable]: 'many' } })).toThrow(
        new RegExp(`ports\\.${name} \\(from ${variable}\\)`),
      );
    }
  });

  it('rejects a port for a service the registry does not have', () => {
    expect(() => loadConfig({ overrides: { ports: { search: 4020 } }, env: {} })).toThrow(
      /unknown key ports\.search/,
    );
  });

  it('derives the subgraph and BFF names from the kinds', () => {
    expect(subgraphNames).toEqual(['models', 'billing', 'metering', 'health']);
    expect(bffNames).toEqual(['web', 'mobile', 'cli']);
    expect(platformServices).toEqual(serviceNames);
  });

  it('is what `portico serve` accepts', async () => {
    const usage = await runCli(['serve']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(`usage: portico serve <${serviceNames.join('|')}>`);
    expect((await runCli(['serve', 'search'])).code).toBe(2);
  });
});
