import type { Alias, Artifact, Collection, Entity, Membership, Project } from './tables.js';

/** Rows come back from to_jsonb with timestamps as strings. */
export function projectFromJson(value: unknown): Project {
  const p = value as Project & { created_at: string | Date; updated_at: string | Date };
  return { ...p, created_at: new Date(p.created_at), updated_at: new Date(p.updated_at) };
}

export function entityFromJson(value: unknown): Entity {
  const e = value as Entity & { created_at: string | Date };
  return { ...e, created_at: new Date(e.created_at) };
}

export function aliasFromJson(value: unknown): Alias {
  const a = value as Alias & { created_at: string | Date };
  return { ...a, created_at: new Date(a.created_at) };
}

export function artifactFromJson(value: unknown): Artifact {
  const a = value as Artifact & { created_at: string; updated_at: string; committed_at: string | null };
  return {
    ...a,
    created_at: new Date(a.created_at),
    updated_at: new Date(a.updated_at),
    committed_at: a.committed_at === null ? null : new Date(a.committed_at),
  };
}

export function membershipFromJson(value: unknown): Membership {
  const m = value as Membership & { created_at: string | Date };
  return { ...m, created_at: new Date(m.created_at) };
}

export function collectionFromJson(value: unknown): Collection {
  const c = value as Collection & { created_at: string | Date; updated_at: string | Date };
  return { ...c, created_at: new Date(c.created_at), updated_at: new Date(c.updated_at) };
}
