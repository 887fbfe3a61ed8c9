import { nameProblem as ruleProblem, newCollectionNameProblem as reservedProblem, RESERVED_COLLECTION_NAMES } from '@shared/names';

/**
 * The server's rule for registry, collection and type names (shared/names.ts), checked before sending
 * so the person learns what to fix at once, with the commonest mistakes named. `max` is what the name
 * part may hold.
 */
export function nameProblem(kind: string, name: string, max = 128): string | null {
  if (name.trim() === '') return `Give the ${kind.toLowerCase()} a name.`;
  if (name.length > max) return `The name is ${name.length} characters long; it may have at most ${max}.`;
  if (/[/:]/.test(name)) return 'Names cannot hold "/" or ":".';
  return ruleProblem(kind, name) ?? null;
}

/** `nameProblem` for a new registry collection, which may not take the address of a registry's own page. */
export function newCollectionNameProblem(name: string): string | null {
  return RESERVED_COLLECTION_NAMES.includes(name) ? (reservedProblem(name) ?? null) : nameProblem('Collection', name);
}
