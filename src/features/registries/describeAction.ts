/** What a history line needs of an event (ArtifactCollectionAction). */
export interface ActionFields {
  actionType: string;
  versionIndex: number | null;
  alias: string | null;
  before: unknown;
  after: unknown;
}

/** The actions a history can be filtered by (docs/events.md), grouped as the filter's select shows them. */
export const ACTION_GROUPS: readonly { label: string; actions: readonly { value: string; label: string }[] }[] = [
  {
    label: 'Versions',
    actions: [
      { value: 'version.linked', label: 'Version linked' },
      { value: 'version.unlinked', label: 'Version unlinked' },
      { value: 'version.tag_added', label: 'Version tag added' },
      { value: 'version.tag_removed', label: 'Version tag removed' },
    ],
  },
  {
    label: 'Aliases',
    actions: [
      { value: 'alias.added', label: 'Alias added' },
      { value: 'alias.moved', label: 'Alias moved' },
      { value: 'alias.removed', label: 'Alias removed' },
    ],
  },
  {
    label: 'Collections',
    actions: [
      { value: 'collection.created', label: 'Collection created' },
      { value: 'collection.updated', label: 'Collection renamed or edited' },
      { value: 'collection.deleted', label: 'Collection deleted' },
      { value: 'collection.tag_added', label: 'Collection tag added' },
      { value: 'collection.tag_removed', label: 'Collection tag removed' },
    ],
  },
  {
    label: 'Registry',
    actions: [
      { value: 'registry.created', label: 'Registry created' },
      { value: 'registry.updated', label: 'Settings changed' },
      { value: 'registry.renamed', label: 'Registry renamed' },
      { value: 'registry.member_added', label: 'Member added' },
      { value: 'registry.member_role_changed', label: 'Member role changed' },
      { value: 'registry.member_removed', label: 'Member removed' },
    ],
  },
];

export const isKnownAction = (value: string) => ACTION_GROUPS.some((g) => g.actions.some((a) => a.value === value));

function field(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === 'string' || typeof found === 'number' ? String(found) : null;
}

/** The settings a registry.updated event changed, as words: "description and visibility". */
function changedSettings(after: unknown): string {
  const names: Record<string, string> = {
    description: 'description',
    visibility: 'visibility',
    allowAllTypes: 'accepted types',
    types: 'accepted types',
    protectedAliases: 'protected aliases',
  };
  const keys = typeof after === 'object' && after !== null ? Object.keys(after) : [];
  const words = [...new Set(keys.map((k) => names[k] ?? k))];
  return words.length ? words.join(' and ') : 'settings';
}

/** A registry event's line: "created the registry", "changed a member's role to admin". */
function describeRegistry(action: ActionFields): string | null {
  switch (action.actionType) {
    case 'registry.created':
      return 'created the registry';
    case 'registry.updated':
      return `changed the ${changedSettings(action.after)}`;
    case 'registry.renamed':
      return `renamed the registry from ${field(action.before, 'name') ?? '?'} to ${field(action.after, 'name') ?? '?'}`;
    case 'registry.deleted':
      return 'deleted the registry';
    case 'registry.member_added':
      return `added a ${field(action.after, 'teamId') ? 'team' : 'member'} as ${field(action.after, 'role') ?? 'viewer'}`;
    case 'registry.member_role_changed':
      return `changed a ${field(action.after, 'teamId') ? 'team' : 'member'}'s role to ${field(action.after, 'role') ?? '?'}`;
    case 'registry.member_removed':
      return `removed a ${field(action.before, 'teamId') ? 'team' : 'member'}`;
    default:
      return null;
  }
}

/** One line of history in plain words: "linked v3 from acme-ml/train/net:v7". */
export function describeAction(action: ActionFields): string {
  const version = action.versionIndex === null ? 'a version' : `v${action.versionIndex}`;
  const alias = action.alias ? `“${action.alias}”` : 'an alias';
  switch (action.actionType) {
    case 'version.linked': {
      const source = field(action.after, 'source');
      return `linked ${version}${source ? ` from ${source}` : ''}`;
    }
    case 'version.unlinked':
      return `unlinked ${version}`;
    case 'version.created':
      return `logged ${version}`;
    case 'version.deleted':
      return `deleted ${version}`;
    case 'version.tag_added':
      return `added tag “${field(action.after, 'tag') ?? ''}” to ${version}`;
    case 'version.tag_removed':
      return `removed tag “${field(action.before, 'tag') ?? ''}” from ${version}`;
    case 'alias.added':
      return `added alias ${alias} to ${version}`;
    case 'alias.moved': {
      const from = field(action.before, 'versionIndex');
      return `moved alias ${alias} ${from === null ? '' : `from v${from} `}to ${version}`;
    }
    case 'alias.removed':
      return `removed alias ${alias} from ${version}`;
    case 'collection.tag_added':
      return `added tag “${field(action.after, 'tag') ?? ''}”`;
    case 'collection.tag_removed':
      return `removed tag “${field(action.before, 'tag') ?? ''}”`;
    case 'collection.created':
      return 'created the collection';
    case 'collection.deleted':
      return 'deleted the collection';
    case 'collection.updated': {
      const renamedFrom = field(action.before, 'name');
      if (renamedFrom) return `renamed the collection from ${renamedFrom}`;
      const type = field(action.after, 'type');
      return type ? `changed the type to ${type}` : 'edited the model card';
    }
    default:
      return describeRegistry(action) ?? action.actionType.replace(/^[a-z]+\./, '').replace(/_/g, ' ');
  }
}
