// The schema the web app's GraphQL cache is given (vite.config.ts builds it into the bundle).
import {
  buildSchema,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** The GraphQL documents written in a source file: gql.tada's graphql(`…`) and urql's gql`…`. */
export function documentsIn(source: string): string[] {
  return [...source.matchAll(/\b(?:graphql\(\s*|gql)`([^`]*)`/g)].map((match) => match[1] ?? '');
}

type CachedType =
  | { kind: 'UNION'; name: string; possibleTypes: { name: string }[] }
  | {
      kind: 'OBJECT' | 'INTERFACE';
      name: string;
      fields: { name: string; type: TypeRef; args: never[] }[];
      interfaces: { name: string }[];
    };

interface TypeRef {
  kind: 'NON_NULL' | 'LIST' | 'SCALAR';
  ofType?: TypeRef;
}

/** Whether a field, and a list's items, may be null: all the cache reads of a field's type. */
function nullability(type: GraphQLOutputType, depth = 0): TypeRef {
  // Three levels at most: [Item!]! is NON_NULL, LIST, NON_NULL.
  if (depth < 3 && isNonNullType(type)) return { kind: 'NON_NULL', ofType: nullability(type.ofType, depth + 1) };
  if (depth < 3 && isListType(type)) return { kind: 'LIST', ofType: nullability(type.ofType, depth + 1) };
  return { kind: 'SCALAR' };
}

/** The fields the documents select, by type; a field selected on an interface or union counts for each of its types. */
function selectedFields(schema: GraphQLSchema, documents: string[]): Map<string, Set<string>> {
  const selected = new Map<string, Set<string>>();
  const select = (type: string, field?: string) => {
    const fields = selected.get(type) ?? new Set<string>();
    selected.set(type, fields);
    if (field) fields.add(field);
  };
  const info = new TypeInfo(schema);
  visit(
    parse(documents.join('\n')),
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        if (!parent || !info.getFieldDef()) {
          throw new Error(`The app selects ${parent?.name ?? '?'}.${node.name.value}, which schema.graphql does not have`);
        }
        select(parent.name);
        select(parent.name, node.name.value);
        if (isAbstractType(parent)) for (const type of schema.getPossibleTypes(parent)) select(type.name, node.name.value);
      },
    }),
  );
  return selected;
}

/**
 * What Graphcache reads of a schema, and nothing else: object, interface and union types, their fields'
 * names and nullability, and which types implement or belong to which. With `documents`, only the
 * types and fields they select: the cache never meets the others. Arguments, descriptions, enums,
 * inputs and the names of fields' types are never read (about four fifths of the bytes).
 */
export function graphcacheSchema(sdl: string, documents?: string[]) {
  const schema = buildSchema(sdl);
  const selected = documents && selectedFields(schema, documents);
  const types = Object.values(schema.getTypeMap()).flatMap((type): CachedType[] => {
    if (type.name.startsWith('__') || (selected && !selected.has(type.name))) return [];
    if (isUnionType(type)) return [{ kind: 'UNION', name: type.name, possibleTypes: type.getTypes().map(({ name }) => ({ name })) }];
    if (!isObjectType(type) && !isInterfaceType(type)) return [];
    const fields = Object.values(type.getFields())
      .filter((field) => !selected || selected.get(type.name)?.has(field.name))
      .map((field) => ({ name: field.name, type: nullability(field.type), args: [] }));
    const kind = isObjectType(type) ? 'OBJECT' : 'INTERFACE';
    return [{ kind, name: type.name, fields, interfaces: type.getInterfaces().map(({ name }) => ({ name })) }];
  });
  const root = (type: { name: string } | null | undefined) => (type ? { name: type.name } : null);
  return {
    __schema: {
      queryType: root(schema.getQueryType()),
      mutationType: root(schema.getMutationType()),
      subscriptionType: root(schema.getSubscriptionType()),
      types,
    },
  };
}
