import fs from 'node:fs';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { sdkAutomationOperations } from '../../seed/sdk-operations.js';

// The SDK's automations API sends these 9 documents; each validates against the committed schema.graphql.
const schema: GraphQLSchema = buildSchema(fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

describe("every document of the SDK's automations API validates against schema.graphql", () => {
  it('there are 9 documents', () => {
    expect(sdkAutomationOperations.map((op) => op.name).sort()).toEqual([
      'CreateAutomation',
      'CreateGenericWebhookIntegration',
      'DeleteAutomation',
      'GetAutomationsLegacy',
      'GetEntityAutomations',
      'GetEntityAutomationsLegacy',
      'GetOrgAutomations',
      'IntegrationsByEntity',
      'UpdateAutomation',
    ]);
  });

  for (const op of sdkAutomationOperations) {
    it(op.name, () => {
      expect(validate(schema, parse(op.document)).map((e) => e.message)).toEqual([]);
    });
  }
});
