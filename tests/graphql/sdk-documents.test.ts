import fs from 'node:fs';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { allSdkOperations } from '../../seed/sdk-operations.js';

// Validated against the committed schema.graphql (what clients see), which the drift test keeps equal
// to the server's own schema.
const schema: GraphQLSchema = buildSchema(fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

describe('every document the wandb SDK sends validates against schema.graphql', () => {
  it('there are 60 registry and 11 logging documents', () => {
    expect(allSdkOperations.filter((op) => op.file === 'operations.graphql')).toHaveLength(60);
    expect(allSdkOperations.filter((op) => op.file === 'logging-operations.graphql')).toHaveLength(11);
  });

  allSdkOperations.forEach((op, index) => {
    it(`${op.file} #${index + 1}: ${op.name}`, () => {
      expect(validate(schema, parse(op.document)).map((e) => e.message)).toEqual([]);
    });
  });
});
