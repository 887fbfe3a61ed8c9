import {
  getNamedType,
  getOperationAST,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { userError } from './errors.js';
import { printable, unstorableCharacter, unstorableInJson, unstorableInJsonText } from './input-values.js';

/**
 * Refuses, before any resolver runs, a request whose arguments hold text PostgreSQL cannot store (a
 * NUL, half a surrogate pair), in literals and variables alike, JSONString contents included. One
 * check at the boundary instead of one per resolver; the error names the argument to fix.
 */
export function useStorableText(): Plugin {
  // Parsed documents are cached by yoga, so a document's literals are judged once.
  const literals = new WeakMap<DocumentNode, string | null>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let literal = literals.get(args.document);
      if (literal === undefined) {
        literal = literalProblem(args.schema, args.document) ?? null;
        literals.set(args.document, literal);
      }
      const problem = literal ?? variableProblem(args.schema, args.document, args.operationName, args.variableValues);
      if (problem) setResultAndStopExecution({ data: null, errors: [userError('BAD_USER_INPUT', problem)] });
    },
  };
}

function refusal(where: string, what: string, inJson: boolean): string {
  return `${printable(where)} holds ${what}${inJson ? ' inside its JSON' : ''}, which cannot be stored: remove or replace it.`;
}

function isJsonString(type: GraphQLInputType | null | undefined): boolean {
  return type != null && getNamedType(type).name === 'JSONString';
}

function isNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof (value as { kind: unknown }).kind === 'string';
}

/** `createUser(input.username)`, `@include(if)`, `$var` (a default value): where a literal sits. */
function literalPath(document: DocumentNode, path: readonly (string | number)[]): string {
  let current: unknown = document;
  let owner = '';
  let argument = '';
  let last: ASTNode | undefined;
  for (const key of path) {
    if (typeof key === 'number' && last?.kind === Kind.LIST) argument += `[${key}]`;
    current = (current as Record<string | number, unknown>)[key];
    if (!isNode(current)) continue;
    last = current;
    if (current.kind === Kind.FIELD) [owner, argument] = [current.name.value, ''];
    else if (current.kind === Kind.DIRECTIVE) [owner, argument] = [`@${current.name.value}`, ''];
    else if (current.kind === Kind.VARIABLE_DEFINITION) [owner, argument] = [`$${current.variable.name.value}`, ''];
    else if (current.kind === Kind.ARGUMENT) argument = current.name.value;
    else if (current.kind === Kind.OBJECT_FIELD) argument += `.${current.name.value}`;
  }
  return owner.startsWith('$') ? `The default of "${owner}${argument}"` : `Argument "${owner}(${argument})"`;
}

function literalProblem(schema: GraphQLSchema, document: DocumentNode): string | undefined {
  let problem: string | undefined;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue(node, _key, _parent, path) {
        if (problem) return;
        const json = isJsonString(typeInfo.getInputType());
        const what = json ? unstorableInJsonText(node.value) : unstorableCharacter(node.value);
        if (what) problem = refusal(literalPath(document, path), what, json && !unstorableCharacter(node.value));
      },
    }),
  );
  return problem;
}

function variableProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string | undefined {
  if (!variables) return undefined;
  const operation = getOperationAST(document, operationName);
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    const problem = valueProblem(variables[name], type, `$${name}`, 0);
    if (problem) return problem;
  }
  return undefined;
}

/** Walks a variable's value along its type, so a JSONString's contents are judged as JSON. */
function valueProblem(value: unknown, type: GraphQLInputType | undefined, path: string, depth: number): string | undefined {
  if (value == null || depth > 100) return undefined;
  if (type && isNonNullType(type)) return valueProblem(value, type.ofType, path, depth);
  if (type && isListType(type)) {
    if (!Array.isArray(value)) return valueProblem(value, type.ofType, path, depth + 1);
    for (const [i, item] of value.entries()) {
      const problem = valueProblem(item, type.ofType, `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (type && isInputObjectType(type) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = type.getFields();
    for (const [key, item] of Object.entries(value)) {
      const problem = valueProblem(item, fields[key]?.type, `${path}.${key}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'string') {
    const raw = unstorableCharacter(value);
    const what = raw ?? (isJsonString(type) ? unstorableInJsonText(value) : undefined);
    return what ? refusal(`Variable "${path}"`, what, !raw) : undefined;
  }
  // Any other value (the JSON scalar, or a value of the wrong type that coercion will refuse).
  const what = unstorableInJson(value);
  return what ? refusal(`Variable "${path}"`, what, false) : undefined;
}
