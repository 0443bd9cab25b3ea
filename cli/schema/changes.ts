import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  level: ChangeLevel;
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** Schema coordinate: `Type`, `Type.field`, `Type.field.arg`, `Enum.VALUE`, `@directive`. */
  coordinate: string;
  /** What changed, in one line. */
  message: string;
  /** Why it has this level, in one line. */
  reason: string;
}

const levels: Record<CriticalityLevel, ChangeLevel> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};
const order: ChangeLevel[] = ['breaking', 'dangerous', 'safe'];
const safeReason = 'Existing operations send and receive the same as before.';

/** Portico's own words where graphql-inspector gives a breaking or dangerous change no reason. */
const fallbackReasons: Record<string, string> = {
  FIELD_TYPE_CHANGED:
    'Clients that rely on the old type, or on the field never being null, can fail on the new responses.',
  FIELD_ARGUMENT_ADDED:
    'Operations that select the field without the new required argument no longer validate.',
  FIELD_ARGUMENT_REMOVED: 'Operations that pass this argument no longer validate.',
  TYPE_REMOVED:
    'Operations that name this type (fragments, variables, fields returning it) no longer validate.',
  DIRECTIVE_ARGUMENT_TYPE_CHANGED: 'Operations that pass this directive argument may no longer validate.',
  DIRECTIVE_REPEATABLE_REMOVED: 'Operations that repeat this directive no longer validate.',
};

/**
 * graphql-inspector's reasons run to several sentences. The first is kept; when it only restates
 * the level ("... is a breaking change."), the advice that follows is kept too.
 */
function oneLine(reason: string | undefined, level: ChangeLevel, type: string): string {
  if (!reason)
    return level === 'safe'
      ? safeReason
      : (fallbackReasons[type] ?? `A ${level} change to what clients may send or receive.`);
  const sentences = reason
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=\.)\s+(?=[A-Z])/);
  const [first = '', second] = sentences;
  return /is a (breaking|dangerous) change\.$/.test(first) && second ? `${first} ${second}` : first;
}

/**
 * graphql-inspector reports a new @deprecated twice more, as directive-usage changes; the
 * FIELD_/ENUM_VALUE_DEPRECATION_* change already says it.
 */
function duplicatesDeprecation(change: Change): boolean {
  if (!String(change.type).startsWith('DIRECTIVE_USAGE_')) return false;
  const meta = change.meta as {
    addedDirectiveName?: string;
    removedDirectiveName?: string;
    directiveName?: string;
  };
  return (meta.addedDirectiveName ?? meta.removedDirectiveName ?? meta.directiveName) === 'deprecated';
}

/** Deprecation changes carry a `.@deprecated` suffix; the coordinate is the deprecated element. */
function coordinateOf(change: Change): string {
  return change.path?.replace(/\.@deprecated$/, '') ?? '(schema)';
}

/** Every difference between two API schemas, breaking first, each with its level and reason. */
export async function diffApiSchemas(base: GraphQLSchema, next: GraphQLSchema): Promise<SchemaChange[]> {
  const changes = (await diff(base, next))
    .filter((change) => !duplicatesDeprecation(change))
    .map((change) => {
      const level = levels[change.criticality.level];
      return {
        level,
        type: String(change.type),
        coordinate: coordinateOf(change),
        message: change.message,
        reason: oneLine(change.criticality.reason, level, String(change.type)),
      };
    });
  return changes.sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
}

/**
 * Changes that add something under a coordinate (a required argument, a required input field, an
 * enum value, a new default) affect whoever uses the parent, not the new child no one uses yet.
 */
const affectsParentUsers = new Set([
  'FIELD_ARGUMENT_ADDED',
  'FIELD_ARGUMENT_DEFAULT_CHANGED',
  'INPUT_FIELD_ADDED',
  'INPUT_FIELD_DEFAULT_VALUE_CHANGED',
  'ENUM_VALUE_ADDED',
  'DIRECTIVE_ARGUMENT_ADDED',
]);

/**
 * Changes whose whole effect on an operation validation sees: an argument's type is checked
 * against the literal passed (ValuesOfCorrectType) or the variable's declared type
 * (VariablesInAllowedPosition), and a new required argument is missing from every operation that
 * selects the field. An operation that uses such a change and still validates is not broken.
 * Other breaking changes act where validation cannot look: response shapes (a field turning
 * nullable, changing scalar) and values sent at run time through variables (a removed enum value,
 * a changed input field), so an operation that uses them counts as broken even when it validates.
 */
const judgedByValidation = new Set([
  'FIELD_ARGUMENT_TYPE_CHANGED',
  'FIELD_ARGUMENT_ADDED',
  'DIRECTIVE_ARGUMENT_TYPE_CHANGED',
]);

/** Whether a breaking change breaks an operation that uses it, given whether that operation still validates. */
export function breaksOperation(change: SchemaChange, stillValidates: boolean): boolean {
  return change.level === 'breaking' && (!stillValidates || !judgedByValidation.has(change.type));
}

/** Whether an operation that uses `used` (see platform/schema/usage.ts) depends on what `change` changed. */
export function changeAffects(change: SchemaChange, used: ReadonlySet<string>): boolean {
  if (used.has(change.coordinate)) return true;
  if (!affectsParentUsers.has(change.type)) return false;
  const dot = change.coordinate.lastIndexOf('.');
  return dot > 0 && used.has(change.coordinate.slice(0, dot));
}
