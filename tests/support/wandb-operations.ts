import fs from 'node:fs';

/** The SDK's documents by operation name, exactly as they are in the files (first definition wins). */
function parse(file: string): Map<string, string> {
  const text = fs.readFileSync(new URL(`../wandb-compat/${file}`, import.meta.url), 'utf8');
  const documents = new Map<string, string>();
  for (const chunk of text.split(/^# ----.*$/m).slice(1)) {
    const body = chunk.replace(/^#.*$/gm, '').trim();
    const name = /^(?:query|mutation)\s+(\w+)/m.exec(body)?.[1];
    if (name && body && !documents.has(name)) documents.set(name, body);
  }
  return documents;
}

export const sdkOperations = parse('operations.graphql');
export const sdkLoggingOperations = parse('logging-operations.graphql');

export function sdkDocument(name: string): string {
  const doc = sdkOperations.get(name) ?? sdkLoggingOperations.get(name);
  if (!doc) throw new Error(`no SDK operation named ${name}`);
  return doc;
}
