/** A Prometheus text exposition, read back: the sum of the samples of `name` whose labels match. */
export interface Scrape {
  value(name: string, labels?: Record<string, string>): number;
  text: string;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** GETs a service's `/metrics` over HTTP (its admin listener) and parses it. */
export async function scrape(adminUrl: string): Promise<Scrape> {
  const response = await fetch(`${adminUrl}/metrics`);
  const text = await response.text();
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = SAMPLE.exec(line) ?? [];
      return {
        name,
        labels: Object.fromEntries([...labels.matchAll(LABEL)].map((m) => [m[1], m[2]])),
        value: Number(value),
      };
    });
  return {
    text,
    value(name, labels = {}) {
      return samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);
    },
  };
}
