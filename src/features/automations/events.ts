// What an automation reacts to, in words, and what its filter and payload may name. The server keeps the
// same lists (server/modules/automations/event-filter.ts and payload.ts); these are their labels.

export interface EventChoice {
  value: string;
  label: string;
  /** The event field an automation of this type filters on, if any. */
  filterField?: 'alias' | 'tag';
}

export const EVENT_CHOICES: readonly EventChoice[] = [
  { value: 'LINK_MODEL', label: 'A new version is linked' },
  { value: 'ADD_ARTIFACT_ALIAS', label: 'An alias is added to a version', filterField: 'alias' },
  { value: 'UNLINK_ARTIFACT', label: 'A version is unlinked' },
  { value: 'ADD_ARTIFACT_TAG', label: 'A tag is added to a version', filterField: 'tag' },
  { value: 'REMOVE_ARTIFACT_TAG', label: 'A tag is removed from a version', filterField: 'tag' },
  { value: 'ADD_COLLECTION_TAG', label: 'A tag is added to a collection', filterField: 'tag' },
  { value: 'REMOVE_COLLECTION_TAG', label: 'A tag is removed from a collection', filterField: 'tag' },
];

export const eventLabel = (value: string) => EVENT_CHOICES.find((e) => e.value === value)?.label ?? value;

export const PAYLOAD_VARIABLES: readonly { name: string; description: string }[] = [
  { name: 'event_type', description: 'the event, e.g. ADD_ARTIFACT_ALIAS' },
  { name: 'event_author', description: 'the username of who made the change' },
  { name: 'artifact_version_string', description: 'entity/wandb-registry-name/collection:vN' },
  { name: 'artifact_version', description: 'the version as JSON text' },
  { name: 'artifact_collection_name', description: 'the collection' },
  { name: 'project_name', description: 'the registry’s project, wandb-registry-name' },
  { name: 'entity_name', description: 'the organization’s entity' },
  { name: 'ACCESS_TOKEN', description: 'the webhook’s access token secret' },
];

export const DEFAULT_PAYLOAD = `{
  "event_type": "\${event_type}",
  "event_author": "\${event_author}",
  "artifact_version_string": "\${artifact_version_string}",
  "artifact_collection_name": "\${artifact_collection_name}"
}`;

/** The filter the form writes: one field equal to a value, or everything. */
export function filterJson(field: string | undefined, value: string): string {
  return field && value.trim() ? JSON.stringify({ [field]: value.trim() }) : '{}';
}

/** A stored filter in words: `alias = production` for the form's own kind, the JSON otherwise. */
export function describeFilter(json: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return json;
  }
  if (parsed && typeof parsed === 'object' && 'filter' in parsed && Object.keys(parsed).length === 1) {
    const inner = (parsed as { filter: unknown }).filter;
    return describeFilter(typeof inner === 'string' ? inner : JSON.stringify(inner ?? {}));
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return json;
  const entries = Object.entries(parsed);
  if (entries.length === 0) return 'Every event';
  if (entries.length === 1 && typeof entries[0]![1] === 'string') return `${entries[0]![0]} = ${entries[0]![1]}`;
  return json;
}
