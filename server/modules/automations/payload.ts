// The webhook's body: the automation's template with `${variable}` filled in. Values are written
// JSON-escaped, so a variable placed inside quotes keeps the template valid JSON whatever it holds.

export const PAYLOAD_VARIABLES = [
  'event_type',
  'event_author',
  'artifact_version',
  'artifact_version_string',
  'artifact_collection_name',
  'project_name',
  'entity_name',
] as const as readonly string[];

/** The body sent when an automation has no template of its own. */
export const DEFAULT_PAYLOAD = `{"event_type": "\${event_type}", "event_author": "\${event_author}", "artifact_version_string": "\${artifact_version_string}", "artifact_collection_name": "\${artifact_collection_name}", "project_name": "\${project_name}", "entity_name": "\${entity_name}"}`;

/** Fills `${name}` with `value(name)`, JSON-escaped; a name with no value stays as written. */
export function fillTemplate(template: string, value: (name: string) => string | undefined): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const text = value(name);
    return text === undefined ? whole : JSON.stringify(text).slice(1, -1);
  });
}
