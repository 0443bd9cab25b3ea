import type {
  CompositeType,
  FieldSelection,
  Operation,
  OutputType,
  SelectionSet,
  Variable,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

type Federation = typeof import('@apollo/federation-internals');

/** What of @apollo/federation-internals the shaping uses, bound once (see install.ts for why). */
export type Internals = Pick<
  Federation,
  | 'Variable'
  | 'assert'
  | 'isSubtype'
  | 'typenameFieldName'
  | 'isObjectType'
  | 'isNonNullType'
  | 'isListType'
  | 'isCompositeType'
  | 'isValidLeafValue'
  | 'ERRORS'
>;

export interface ComputeResponseArgs {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (selection: FieldSelection) => unknown;
}

/**
 * Output objects: fast-mode objects without inherited properties. @apollo/gateway builds them with
 * `Object.create(null)`, which V8 keeps in dictionary mode: every store and the final
 * JSON.stringify of an 87 KB answer take the slow path. An empty null-prototype object as the
 * prototype keeps lookups of `constructor`, `toString`... undefined, as with no prototype at all.
 */
function Output() {}
Output.prototype = Object.create(null);
// biome-ignore lint/suspicious/noExplicitAny: the constructor function above has no construct signature type
const newOutput = (): Record<string, unknown> => new (Output as any)();

const hasOwn = Object.prototype.hasOwnProperty;
const UNKNOWN = 0;
const SKIP = 1;
const KEEP = 2;

/** An applied @skip or @include. */
interface IfDirective {
  arguments(): { if: boolean | Variable };
}

/** One selection of a selection set, with what the original re-derives for every object. */
interface Step {
  skipState: number;
  skip: IfDirective | undefined;
  include: IfDirective | undefined;
  field: FieldSelection | null;
  responseName: string;
  introspection: boolean;
  typename: boolean;
  type: OutputType | undefined;
  typeCondition: CompositeType | undefined;
  selectionSet: SelectionSet | undefined;
}

export function computeResponseWith(
  fed: Internals,
): (args: ComputeResponseArgs) => { data: unknown; errors: GraphQLError[] } {
  const assert: Federation['assert'] = fed.assert;
  const { isNonNullType, isListType, isCompositeType, isObjectType, typenameFieldName } = fed;
  type Schema = ReturnType<Operation['schema']>;
  let schema: Schema;
  let variables: Record<string, unknown>;
  let errors: GraphQLError[];
  let introspectionHandling: ComputeResponseArgs['introspectionHandling'];
  // Per call: skip/include are read against this call's variables, once per selection.
  let steps: Map<SelectionSet, Step[]>;
  // The flags of the last updateOutputValue, read right after each call (it is synchronous).
  let invalid = false;
  let hasErrors = false;

  const stepsOf = (selectionSet: SelectionSet): Step[] => {
    let compiled = steps.get(selectionSet);
    if (compiled) return compiled;
    compiled = selectionSet.selections().map((selection): Step => {
      const element = selection.element;
      const step: Step = {
        skipState: UNKNOWN,
        skip: element.appliedDirectivesOf(schema.skipDirective())[0],
        include: element.appliedDirectivesOf(schema.includeDirective())[0],
        field: null,
        responseName: '',
        introspection: false,
        typename: false,
        type: undefined,
        typeCondition: undefined,
        selectionSet: selection.selectionSet,
      };
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        step.field = selection;
        step.responseName = field.responseName();
        step.introspection = field.definition.isSchemaIntrospectionField();
        step.typename = field.name === typenameFieldName;
        step.type = field.definition.type;
      } else {
        step.typeCondition = selection.element.typeCondition;
      }
      return step;
    });
    steps.set(selectionSet, compiled);
    return compiled;
  };

  const ifValue = (directive: IfDirective): unknown => {
    const ifArg = directive.arguments().if;
    if (ifArg instanceof fed.Variable) {
      const value = variables[ifArg.name];
      assert(
        value !== undefined && typeof value === 'boolean',
        () => `Unexpected value ${value} for variable ${ifArg} of ${directive}`,
      );
      return value;
    }
    return ifArg;
  };

  const skipped = (step: Step): boolean => {
    if (step.skipState === UNKNOWN) {
      const skip = (step.skip && ifValue(step.skip)) || (step.include && !ifValue(step.include));
      step.skipState = skip ? SKIP : KEEP;
    }
    return step.skipState === SKIP;
  };

  const typeConditionApplies = (
    typeCondition: CompositeType | undefined,
    typename: string | undefined,
    parentType: CompositeType,
  ): boolean => {
    if (!typeCondition) return true;
    if (typename) {
      const type = schema.type(typename);
      return !!type && fed.isSubtype(typeCondition, type as OutputType);
    }
    return fed.isSubtype(typeCondition, parentType);
  };

  const describeLast = (path: (string | number)[], currentType: OutputType, parentType: CompositeType) => {
    const element = path[path.length - 1];
    assert(element !== undefined, 'Should not have been called on an empty path');
    return typeof element === 'string'
      ? `field ${parentType}.${element}`
      : `array element of type ${currentType} at index ${element}`;
  };

  /** Returns true when null bubbles up from this selection set (the original's NULL_BUBBLE_UP). */
  const applySelectionSet = (
    input: Record<string, unknown>,
    selectionSet: SelectionSet,
    output: Record<string, unknown>,
    path: (string | number)[],
    parentType: CompositeType,
  ): boolean => {
    for (const step of stepsOf(selectionSet)) {
      if ((step.skip !== undefined || step.include !== undefined) && skipped(step)) continue;
      if (step.field !== null) {
        const responseName = step.responseName;
        const outputValue = output[responseName];
        if (step.introspection) {
          if (outputValue === undefined) output[responseName] = introspectionHandling(step.field);
          continue;
        }
        let inputValue = (hasOwn.call(input, responseName) ? input[responseName] : undefined) ?? null;
        if (step.typename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== typenameFieldName) {
              inputValue = input[typenameFieldName] ?? null;
            }
            const type =
              inputValue !== null && typeof inputValue === 'string'
                ? (schema.type(inputValue) ?? parentType)
                : parentType;
            if (!isObjectType(type)) return true;
            output[responseName] = type.name;
          }
          continue;
        }
        path.push(responseName);
        output[responseName] = updateOutputValue(
          outputValue,
          step.type as OutputType,
          inputValue,
          step.selectionSet,
          path,
          parentType,
        );
        path.pop();
        if (invalid) return true;
      } else {
        const typename = input[typenameFieldName];
        assert(
          !typename || typeof typename === 'string',
          () => `Got unexpected value for __typename: ${typename}`,
        );
        if (typeConditionApplies(step.typeCondition, typename as string | undefined, parentType)) {
          const bubbled = applySelectionSet(
            input,
            step.selectionSet as SelectionSet,
            output,
            path,
            step.typeCondition ?? parentType,
          );
          if (bubbled) return true;
        }
      }
    }
    return false;
  };

  /** The original's `updateOutputValue`, its `{ updated, isInvalid, hasErrors }` in the return value and the two flags. */
  const updateOutputValue = (
    outputValue: unknown,
    type: OutputType,
    inputValue: unknown,
    selectionSet: SelectionSet | undefined,
    path: (string | number)[],
    parentType: CompositeType,
  ): unknown => {
    invalid = false;
    hasErrors = false;
    assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
    if (isNonNullType(type)) {
      const inner = (type as { ofType: OutputType }).ofType;
      const updated = updateOutputValue(outputValue, inner, inputValue, selectionSet, path, parentType);
      if (updated === null) {
        if (!hasErrors) {
          errors.push(
            fed.ERRORS.INVALID_GRAPHQL.err(
              `Cannot return null for non-nullable ${describeLast(path, inner, parentType)}.`,
              { path: Array.from(path) },
            ),
          );
        }
        invalid = true;
        hasErrors = true;
        return updated;
      }
      invalid = false;
      hasErrors = false;
      return updated;
    }
    if (inputValue === null) return null;
    if (isListType(type)) {
      const inner = (type as { ofType: OutputType }).ofType;
      const inputList = inputValue as unknown[];
      assert(
        Array.isArray(inputValue),
        () => `Invalid non-list value ${inputValue} returned by subgraph for list type ${type}`,
      );
      assert(
        outputValue === undefined || Array.isArray(outputValue),
        () => `Invalid non-list value ${outputValue} returned by subgraph for list type ${type}`,
      );
      const outputList = outputValue as unknown[] | undefined;
      const length = outputList === undefined ? inputList.length : outputList.length;
      assert(
        inputList.length === length,
        () => `[${inputList}].length (${inputList.length}) !== [${outputList}].length (${length})`,
      );
      let shouldNullify = false;
      let anyErrors = false;
      const updated: unknown[] = [];
      for (let idx = 0; idx < length; idx++) {
        path.push(idx);
        updated.push(
          updateOutputValue(
            outputList === undefined ? undefined : outputList[idx],
            inner,
            inputList[idx],
            selectionSet,
            path,
            parentType,
          ),
        );
        path.pop();
        shouldNullify ||= invalid;
        anyErrors ||= hasErrors;
      }
      invalid = false;
      hasErrors = anyErrors;
      return shouldNullify ? null : updated;
    }
    if (isCompositeType(type)) {
      assert(selectionSet, () => `Invalid empty selection set for composite type ${type}`);
      assert(
        typeof inputValue === 'object',
        () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`,
      );
      assert(
        outputValue === undefined || typeof outputValue === 'object',
        () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`,
      );
      const object = inputValue as Record<string, unknown>;
      const inputTypename = object[typenameFieldName];
      assert(
        inputTypename === undefined || typeof inputTypename === 'string',
        () => `Invalid non-string value ${inputTypename} for __typename at ${path}`,
      );
      let objType = type as CompositeType;
      if (inputTypename) {
        const typenameType = schema.type(inputTypename);
        if (!typenameType || !isCompositeType(typenameType)) {
          errors.push(
            fed.ERRORS.INVALID_GRAPHQL.err(
              `Invalid __typename found for object at ${describeLast(path, type, parentType)}.`,
              { path: Array.from(path) },
            ),
          );
          invalid = false;
          hasErrors = true;
          return null;
        }
        objType = typenameType as CompositeType;
      }
      const outputObject = outputValue === undefined ? newOutput() : (outputValue as Record<string, unknown>);
      const bubbled = applySelectionSet(object, selectionSet, outputObject, path, objType);
      invalid = false;
      hasErrors = bubbled;
      return bubbled ? null : outputObject;
    }
    assert(
      outputValue === undefined,
      () => `Excepted output to be undefined but got ${type} for type ${type}`,
    );
    const isValidValue = fed.isValidLeafValue(schema, inputValue, type);
    if (!isValidValue) {
      errors.push(
        fed.ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describeLast(path, type, parentType)}.`, {
          path: Array.from(path),
        }),
      );
    }
    invalid = false;
    hasErrors = !isValidValue;
    return isValidValue ? inputValue : null;
  };

  return (args) => {
    if (!args.input) return { data: args.input, errors: [] };
    const operation = args.operation;
    schema = operation.schema();
    variables = { __proto__: null, ...operation.collectDefaultedVariableValues(), ...args.variables };
    errors = [];
    introspectionHandling = args.introspectionHandling;
    steps = new Map();
    const data = newOutput();
    try {
      const bubbled = applySelectionSet(
        args.input,
        operation.selectionSet,
        data,
        [],
        schema.schemaDefinition.rootType(operation.rootKind) as CompositeType,
      );
      return { data: bubbled ? null : data, errors };
    } finally {
      // Nothing of this answer stays reachable from the closure once it is built.
      steps = new Map();
      variables = {};
      errors = [];
    }
  };
}
