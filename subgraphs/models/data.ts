import { catalogueModels } from '../shared/catalogue.ts';
import { seededRandom } from '../shared/random.ts';

export type Modality = 'TEXT' | 'IMAGE' | 'AUDIO' | 'EMBEDDING';
export type ModelStatus = 'GA' | 'PREVIEW' | 'DEPRECATED';

export interface ModelRecord {
  id: string;
  name: string;
  family: string;
  provider: string;
  modalities: Modality[];
  contextWindow: number;
  pricing: { inputPer1kTokens: number; outputPer1kTokens: number; currency: string };
  status: ModelStatus;
  replacementId: string | null;
  releasedAt: string;
}

const modalitiesByFamily: Record<string, Modality[]> = {
  quill: ['EMBEDDING'],
  lumen: ['TEXT', 'IMAGE'],
  echo: ['AUDIO', 'TEXT'],
};

const contextBySize: Record<string, number> = {
  mini: 16_384,
  small: 32_768,
  lite: 32_768,
  '7b': 8_192,
  'embed-s': 8_192,
  'embed-l': 8_192,
};

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** How a size reads in a model's name: parameter counts in capitals, abbreviations spelt out. */
const sizeLabels: Record<string, string> = {
  '7b': '7B',
  '70b': '70B',
  v: 'Vision',
  'v-hd': 'Vision HD',
  'embed-s': 'Embed S',
  'embed-l': 'Embed L',
};

function sizeLabel(size: string): string {
  return sizeLabels[size] ?? titleCase(size);
}

/** 30 models across 7 families; older generations are deprecated in favour of the newest one. */
function buildModels(): ModelRecord[] {
  const newestGeneration = new Map<string, number>();
  for (const model of catalogueModels) {
    newestGeneration.set(model.family, Math.max(newestGeneration.get(model.family) ?? 0, model.generation));
  }
  return catalogueModels
    .map((model, index) => {
      const random = seededRandom(`model:${model.id}`);
      const newest = newestGeneration.get(model.family)!;
      const status: ModelStatus =
        model.generation < newest ? 'DEPRECATED' : random() < 0.25 ? 'PREVIEW' : 'GA';
      const released = new Date(Date.UTC(2023, 0, 1) + (model.generation * 120 + index * 7) * 86_400_000);
      return {
        id: model.id,
        name: `${titleCase(model.family)} ${model.generation} ${sizeLabel(model.size)}`,
        family: model.family,
        provider: model.provider,
        modalities: modalitiesByFamily[model.family] ?? ['TEXT'],
        contextWindow: contextBySize[model.size] ?? 128_000 * (model.generation >= 3 ? 2 : 1),
        pricing: {
          inputPer1kTokens: model.inputPer1kTokens,
          outputPer1kTokens: model.outputPer1kTokens,
          currency: 'USD',
        },
        status,
        replacementId: status === 'DEPRECATED' ? `${model.family}-${newest}-${model.size}` : null,
        releasedAt: released.toISOString(),
      };
    })
    .sort((a, b) => b.releasedAt.localeCompare(a.releasedAt) || a.id.localeCompare(b.id));
}

export const models: readonly ModelRecord[] = buildModels();
export const modelsById = new Map(models.map((model) => [model.id, model]));
