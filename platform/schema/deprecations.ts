import {
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

export interface DeprecatedUse {
  coordinate: string;
  reason: string;
  /** What the reason says to use instead, when it names something. */
  replacement: string | null;
}

/**
 * Deprecation reasons are free text; Portico's convention is "Use `newField` instead." The
 * replacement is read from the usual phrasings and left null when the reason names none.
 */
export function replacementIn(reason: string): string | null {
  const match =
    /\b(?:use|replaced (?:by|with)|in favou?r of|superseded by|moved to)\s+`?([A-Za-z_@][\w.@]*(?:\([^)]*\))?)`?/i.exec(
      reason,
    );
  return match ? match[1]!.replace(/\.$/, '') : null;
}

/** The deprecated fields, arguments, enum values and input fields an operation uses in `schema`. */
export function deprecatedUses(document: DocumentNode, schema: GraphQLSchema): DeprecatedUse[] {
  const found = new Map<string, string>();
  const typeInfo = new TypeInfo(schema);
  const note = (coordinate: string, reason: string | null | undefined) => {
    if (reason !== null && reason !== undefined) found.set(coordinate, reason);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) note(`${parent.name}.${node.name.value}`, field.deprecationReason);
      },
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (argument && field && parent && !typeInfo.getDirective())
          note(`${parent.name}.${field.name}.${node.name.value}`, argument.deprecationReason);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const type = parent ? getNamedType(parent) : null;
        if (isInputObjectType(type))
          note(`${type.name}.${node.name.value}`, type.getFields()[node.name.value]?.deprecationReason);
      },
      EnumValue(node) {
        const input = typeInfo.getInputType();
        const type = input ? getNamedType(input) : null;
        if (isEnumType(type))
          note(`${type.name}.${node.value}`, type.getValue(node.value)?.deprecationReason);
      },
    }),
  );
  return [...found].map(([coordinate, reason]) => ({
    coordinate,
    reason,
    replacement: replacementIn(reason),
  }));
}
