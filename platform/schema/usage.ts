import {
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * Everything a client could send through a variable of this type: the type, each input field and
 * each enum value, recursively. A variable can carry any of them at run time, so a change to any
 * of them can break the operation even though its text never names it.
 */
function addSendable(type: GraphQLNamedType, used: Set<string>): void {
  if (used.has(type.name) && (isInputObjectType(type) || isEnumType(type))) return;
  used.add(type.name);
  if (isEnumType(type)) for (const value of type.getValues()) used.add(`${type.name}.${value.name}`);
  if (isInputObjectType(type))
    for (const field of Object.values(type.getFields())) {
      used.add(`${type.name}.${field.name}`);
      addSendable(getNamedType(field.type), used);
    }
}

/**
 * The schema coordinates an operation depends on in `schema`: types it touches (parents, field
 * types, fragment conditions, variable types), fields (`Type.field`), arguments it passes
 * (`Type.field.arg`), input fields and enum values it writes, directives (`@name`, `@name.arg`),
 * and everything reachable through its variables. Unknown names are skipped, so an operation
 * that does not validate against `schema` still yields what it can.
 */
export function coordinatesUsed(document: DocumentNode, schema: GraphQLSchema): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const addType = (type: GraphQLType | null | undefined) => {
    if (type) used.add(getNamedType(type).name);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        used.add(parent.name);
        used.add(`${parent.name}.${node.name.value}`);
        addType(typeInfo.getType());
      },
      Argument(node) {
        const directive = typeInfo.getDirective();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (directive) used.add(`@${directive.name}.${node.name.value}`);
        else if (field && parent) used.add(`${parent.name}.${field.name}.${node.name.value}`);
        addType(typeInfo.getInputType());
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        if (parent) used.add(`${getNamedType(parent).name}.${node.name.value}`);
        addType(typeInfo.getInputType());
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        if (type) used.add(`${getNamedType(type).name}.${node.value}`);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (type) addSendable(getNamedType(type), used);
      },
      InlineFragment(node) {
        if (node.typeCondition) used.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        used.add(node.typeCondition.name.value);
      },
      Directive(node) {
        used.add(`@${node.name.value}`);
      },
    }),
  );
  return used;
}
