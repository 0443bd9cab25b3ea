/**
 * The identifiers the subgraphs agree on. In a real platform each service would learn them from
 * events; here they are a fixed seed so the graph is consistent across processes. Prices live here
 * because metering records cost at the price in force, as a real meter would.
 */
export interface CatalogueModel {
  id: string;
  family: string;
  provider: string;
  size: string;
  generation: number;
  inputPer1kTokens: number;
  outputPer1kTokens: number;
}

const families: ReadonlyArray<{
  family: string;
  provider: string;
  sizes: string[];
  generations: number[];
  basePrice: number;
}> = [
  {
    family: 'aurora',
    provider: 'Aurora Labs',
    sizes: ['mini', 'base', 'large'],
    generations: [2, 3],
    basePrice: 0.0008,
  },
  {
    family: 'nimbus',
    provider: 'Nimbus AI',
    sizes: ['small', 'pro'],
    generations: [1, 2, 3],
    basePrice: 0.0012,
  },
  {
    family: 'helix',
    provider: 'Helix Research',
    sizes: ['7b', '70b'],
    generations: [1, 2],
    basePrice: 0.0004,
  },
  { family: 'orca', provider: 'Orca Systems', sizes: ['lite', 'max'], generations: [4, 5], basePrice: 0.002 },
  {
    family: 'quill',
    provider: 'Quill',
    sizes: ['embed-s', 'embed-l'],
    generations: [1, 2],
    basePrice: 0.0001,
  },
  { family: 'lumen', provider: 'Lumen Vision', sizes: ['v', 'v-hd'], generations: [1, 2], basePrice: 0.003 },
  { family: 'echo', provider: 'Echo Audio', sizes: ['transcribe'], generations: [1, 2], basePrice: 0.0006 },
];

const sizeFactor: Record<string, number> = {
  mini: 0.25,
  small: 0.4,
  lite: 0.5,
  base: 1,
  '7b': 0.3,
  'embed-s': 0.5,
  v: 1,
  transcribe: 1,
  pro: 2.5,
  large: 3,
  '70b': 1.6,
  max: 4,
  'embed-l': 1.2,
  'v-hd': 2,
};

export const catalogueModels: readonly CatalogueModel[] = families.flatMap(
  ({ family, provider, sizes, generations, basePrice }) =>
    generations.flatMap((generation) =>
      sizes.map((size) => {
        const input = basePrice * (sizeFactor[size] ?? 1) * (1 + generation * 0.15);
        return {
          id: `${family}-${generation}-${size}`,
          family,
          provider,
          size,
          generation,
          inputPer1kTokens: Math.round(input * 1e5) / 1e5,
          outputPer1kTokens: Math.round(input * 3 * 1e5) / 1e5,
        };
      }),
    ),
);

export const catalogueModelById = new Map(catalogueModels.map((model) => [model.id, model]));

export const tenantIds = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'stark',
  'wayne',
  'tyrell',
  'wonka',
  'cyberdyne',
] as const;
