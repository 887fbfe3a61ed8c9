import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentsIn, graphcacheSchema } from '../../shared/graphcache-schema.js';

const sdl = `
  interface Node { id: ID! }
  type A implements Node { id: ID! name: String tags: [String!]! unused: Int }
  type B implements Node { id: ID! size: Int }
  type C { never: Int }
  union U = A | B
  type Query { node(id: ID!): Node  u: [U]  a: A!  c: C }
  type Mutation { rename(name: String!): A }
`;

type Schema = ReturnType<typeof graphcacheSchema>;
const typeNamed = (schema: Schema, name: string) => schema.__schema.types.find((type) => type.name === name);
const fieldsOf = (schema: Schema, name: string) => {
  const type = typeNamed(schema, name);
  return type && 'fields' in type ? type.fields.map((field) => field.name) : undefined;
};

describe("the web app's cache schema", () => {
  it('keeps only the types and fields the documents select, with what the cache reads of them', () => {
    const schema = graphcacheSchema(sdl, ['query Q { node(id: "1") { id ... on A { name tags } } u { __typename } a { id } }']);

    expect(fieldsOf(schema, 'Query')).toEqual(['node', 'u', 'a']);
    // A field selected on an interface or a union counts for every type behind it.
    expect(fieldsOf(schema, 'A')).toEqual(['id', 'name', 'tags']);
    expect(fieldsOf(schema, 'B')).toEqual(['id']);
    expect(typeNamed(schema, 'U')).toEqual({ kind: 'UNION', name: 'U', possibleTypes: [{ name: 'A' }, { name: 'B' }] });
    expect(typeNamed(schema, 'A')).toMatchObject({ kind: 'OBJECT', interfaces: [{ name: 'Node' }] });
    expect(typeNamed(schema, 'C')).toBeUndefined();
    expect(typeNamed(schema, 'Mutation')).toBeUndefined();
    // Nullability of the field and of a list's items; no arguments, no type names.
    const query = typeNamed(schema, 'Query');
    const u = query && 'fields' in query ? query.fields.find((field) => field.name === 'u') : undefined;
    expect(u).toEqual({ name: 'u', type: { kind: 'LIST', ofType: { kind: 'SCALAR' } }, args: [] });
    const a = typeNamed(schema, 'A');
    const tags = a && 'fields' in a ? a.fields.find((field) => field.name === 'tags') : undefined;
    expect(tags?.type).toEqual({ kind: 'NON_NULL', ofType: { kind: 'LIST', ofType: { kind: 'NON_NULL', ofType: { kind: 'SCALAR' } } } });
    expect(schema.__schema.mutationType).toEqual({ name: 'Mutation' });
  });

  it('keeps every type and field without documents (the development server)', () => {
    const schema = graphcacheSchema(sdl);
    expect(fieldsOf(schema, 'A')).toEqual(['id', 'name', 'tags', 'unused']);
    expect(fieldsOf(schema, 'C')).toEqual(['never']);
  });

  it('refuses a document that selects a field the schema lacks, so the build stops instead of caching it wrong', () => {
    expect(() => graphcacheSchema(sdl, ['{ a { id } missing { id } }'])).toThrow(/missing/);
  });

  it("reads every document of the app's sources", () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const documents = fs
      .readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
      .flatMap((file) => documentsIn(fs.readFileSync(path.join(root, 'src', file), 'utf8')));
    const schema = graphcacheSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'), documents);
    // As many documents as graphql(`…`) and gql`…` calls, each of which names an operation or a fragment.
    expect(documents.length).toBeGreaterThan(50);
    for (const document of documents) expect(document).toMatch(/\b(query|mutation|fragment)\b/);
    // What the registry pages and the cache's list updaters read.
    expect(fieldsOf(schema, 'ArtifactPortfolio')).toEqual(expect.arrayContaining(['id', 'name', 'artifactMemberships']));
    expect(fieldsOf(schema, 'Mutation')).toEqual(expect.arrayContaining(['linkArtifact', 'upsertModel']));
  });
});
