import { fieldError } from '../../platform/errors.ts';
import type { SubgraphResolvers } from '../shared/build.ts';
import { MAX_PAGE_SIZE, paginate } from '../shared/connection.ts';
import { type ModelRecord, type ModelStatus, models, modelsById } from './data.ts';

interface ModelsArgs {
  first?: number | null;
  after?: string | null;
  family?: string | null;
  status?: ModelStatus | null;
}

export const resolvers: SubgraphResolvers = {
  Query: {
    models: (_: unknown, args: ModelsArgs) => {
      const filtered = models.filter(
        (model) =>
          (!args.family || model.family === args.family) && (!args.status || model.status === args.status),
      );
      return paginate(filtered, args.first, args.after);
    },
    model: (_: unknown, { id }: { id: string }) => modelsById.get(id) ?? null,
    modelsByIds: (_: unknown, { ids }: { ids: string[] }) => {
      if (ids.length > MAX_PAGE_SIZE) {
        throw fieldError('BAD_REQUEST', `at most ${MAX_PAGE_SIZE} ids per call`);
      }
      return ids.map((id) => modelsById.get(id) ?? null);
    },
  },
  Model: {
    __resolveReference: ({ id }: { id: string }) => modelsById.get(id) ?? null,
    replacement: (model: ModelRecord) =>
      model.replacementId ? (modelsById.get(model.replacementId) ?? null) : null,
  },
};
