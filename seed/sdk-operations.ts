// The wandb SDK's own documents (test data in tests/wandb-compat/), read by the tests and by the demo
// sample loader, which sends them as the SDK does.
import fs from 'node:fs';

export interface SdkOperation {
  name: string;
  file: string;
  /** The document exactly as the SDK sends it (with its fragments). */
  document: string;
}

/** Splits a file at its source headers ("# ---- …" and "# ==== …" banners) into single documents. */
function parse(file: string): SdkOperation[] {
  const text = fs.readFileSync(new URL(`../tests/wandb-compat/${file}`, import.meta.url), 'utf8');
  const operations: SdkOperation[] = [];
  for (const chunk of text.split(/^#\s*(?:----|====).*$/m).slice(1)) {
    const document = chunk.replace(/^#.*$/gm, '').trim();
    const name = /^(?:query|mutation)\s+(\w+)/m.exec(document)?.[1];
    if (name) operations.push({ name, file, document });
  }
  return operations;
}

/** All 60 documents of operations.graphql and the 11 of logging-operations.graphql, in file order. */
export const allSdkOperations = [...parse('operations.graphql'), ...parse('logging-operations.graphql')];

function firstByName(operations: SdkOperation[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const op of operations) if (!map.has(op.name)) map.set(op.name, op.document);
  return map;
}

/** The SDK's documents by operation name (first definition wins). */
export const sdkOperations = firstByName(allSdkOperations.filter((op) => op.file === 'operations.graphql'));
export const sdkLoggingOperations = firstByName(allSdkOperations.filter((op) => op.file === 'logging-operations.graphql'));

/** The 9 documents of the SDK's automations API (automations-operations.graphql). */
export const sdkAutomationOperations = parse('automations-operations.graphql');

/** An automations document by operation name. */
export function sdkAutomationDocument(name: string): string {
  const op = sdkAutomationOperations.find((o) => o.name === name);
  if (!op) throw new Error(`no SDK automations operation named ${name}`);
  return op.document;
}

export function sdkDocument(name: string): string {
  const doc = sdkOperations.get(name) ?? sdkLoggingOperations.get(name);
  if (!doc) throw new Error(`no SDK operation named ${name}`);
  return doc;
}
