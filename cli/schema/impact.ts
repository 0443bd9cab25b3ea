import { type GraphQLSchema, validate } from 'graphql';
import { type DeprecatedUse, deprecatedUses } from '../../platform/schema/deprecations.ts';
import { coordinatesUsed } from '../../platform/schema/usage.ts';
import { breaksOperation, type ChangeLevel, changeAffects, type SchemaChange } from './changes.ts';
import type { OperationRef, RegisteredOperation } from './operations.ts';

export interface OperationImpact {
  operation: OperationRef;
  /** Breaking and dangerous changes at coordinates this operation uses; `broken` per changes.ts. */
  changes: { level: ChangeLevel; type: string; coordinate: string; broken: boolean }[];
  /** Why it does not validate against the new API schema; empty when it does. */
  errors: string[];
  /** Whether it validated against the base schema (false: it was broken already). */
  validBefore: boolean;
  deprecated: DeprecatedUse[];
}

/**
 * What "affected" means: an operation is affected by a breaking or dangerous change when it uses
 * the change's coordinate in the base or the new schema (see platform/schema/usage.ts and changeAffects), whether
 * or not it still validates. Validation alone misses changes that keep the text valid but break
 * the client: a variable's enum losing a value, a field turning nullable, a new enum value in a
 * response. An affected operation is broken by a breaking change unless validation is the whole
 * judge of that change and it still validates (breaksOperation). Separately, every operation is
 * validated against the new API schema; one that does not validate is broken whatever the diff says.
 *
 *   operation --coordinatesUsed(base) ∪ coordinatesUsed(new)--> used set --changeAffects--> changes
 *   operation --validate(new)--> errors      --deprecatedUses(new)--> deprecations
 */
export function assessOperations(
  operations: RegisteredOperation[],
  base: GraphQLSchema,
  next: GraphQLSchema,
  changes: SchemaChange[],
): OperationImpact[] {
  const relevant = changes.filter((change) => change.level !== 'safe');
  return operations.map(({ ref, document }) => {
    const used = new Set([...coordinatesUsed(document, base), ...coordinatesUsed(document, next)]);
    const errors = validate(next, document).map((error) => error.message);
    return {
      operation: ref,
      changes: relevant
        .filter((change) => changeAffects(change, used))
        .map((change) => ({
          level: change.level,
          type: change.type,
          coordinate: change.coordinate,
          broken: breaksOperation(change, errors.length === 0),
        })),
      errors,
      validBefore: validate(base, document).length === 0,
      deprecated: deprecatedUses(document, next),
    };
  });
}
