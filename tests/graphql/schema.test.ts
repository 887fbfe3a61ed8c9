import fs from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema, printedSchema } from '../../server/graphql/schema.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

describe('the GraphQL schema', () => {
  it('matches the committed schema.graphql', () => {
    const committed = fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(printedSchema(), 'schema.graphql is out of date: run `npm run schema` and commit the result').toBe(committed);
  });

  for (const name of ['ServerFeaturesQuery', 'GetViewer', 'FetchOrganization', 'FetchRegistry', 'FetchRegistries']) {
    it(`validates the SDK's ${name} document`, () => {
      const errors = validate(getSchema(), parse(sdkDocument(name)));
      expect(errors.map((e) => e.message)).toEqual([]);
    });
  }
});
