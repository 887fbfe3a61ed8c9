import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AliasesField, checkAliases, splitAliases } from '@/components/AliasesField';
import { Dialog } from '@/components/Dialog';
import { graphql } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import { REGISTRY_PREFIX } from '@/lib/format';
import { errorMessage } from '@/lib/errors';
import { CollectionRow_ArtifactPortfolio } from './CollectionRow';

export interface LinkVersionSheetProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The registry's short name (without `wandb-registry-`). */
  registry: string;
  /** The target collection. */
  collection: { id: string; name: string; type: string };
}

// The target: the viewer's teams (where versions come from), the registry's protected aliases and the
// viewer's role there, and the collection's versions with their aliases (to warn before one moves).
const LinkVersionSheetQuery = graphql(`
  query LinkVersionSheet($registry: String!, $collection: ID!) {
    viewer {
      id
      teams {
        edges {
          node {
            id
            name
          }
        }
      }
      organizations {
        id
        orgEntity {
          id
          project(name: $registry) {
            id
            protectedAliases
            viewerRole {
              role
            }
          }
        }
      }
    }
    artifactCollection(id: $collection) {
      id
      ... on ArtifactPortfolio {
        versionCount
      }
      artifactMemberships(first: 100) {
        totalCount
        edges {
          node {
            id
            version
            artifact {
              id
            }
            aliases {
              id
              alias
            }
          }
        }
      }
    }
  }
`);

const LinkVersionSheet_Projects = graphql(`
  query LinkVersionSheet_Projects($team: String!) {
    entity(name: $team) {
      id
      projects(first: 100, order: "+name") {
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
`);

// Source collections of the target's type only: a version of another type could not be linked.
const LinkVersionSheet_Artifacts = graphql(`
  query LinkVersionSheet_Artifacts($team: String!, $project: String!, $type: String!) {
    project(entityName: $team, name: $project) {
      id
      artifactType(name: $type) {
        id
        artifactCollections(first: 100, order: "+name") {
          edges {
            node {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const LinkVersionSheet_Versions = graphql(`
  query LinkVersionSheet_Versions($sequence: ID!) {
    artifactCollection(id: $sequence) {
      id
      artifactMemberships(first: 100) {
        totalCount
        edges {
          node {
            id
            version
            createdAt
            artifact {
              id
            }
            aliases {
              id
              alias
            }
          }
        }
      }
    }
  }
`);

const LinkVersionSheet_Link = graphql(
  `
    mutation LinkVersionSheet_Link($input: LinkArtifactInput!) {
      linkArtifact(input: $input) {
        versionIndex
        artifactMembership {
          id
          version
          versionIndex
          createdAt
          aliases {
            id
            alias
          }
          linkedBy {
            id
            username
          }
          artifact {
            id
          }
          artifactCollection {
            id
            ...CollectionRow_ArtifactPortfolio
            project {
              id
              collectionCount
              linkedVersionCount
            }
          }
        }
      }
    }
  `,
  [CollectionRow_ArtifactPortfolio],
);

function Select({
  label,
  value,
  onChange,
  disabled,
  placeholder,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  placeholder: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        <option value="">{placeholder}</option>
        {children}
      </select>
    </div>
  );
}

/**
 * "Link new version": pick Team → Project → Artifact → Version (each list filled from the one
 * before, with only what the viewer can read and what the collection's type accepts), add aliases,
 * Link. The link answers with the changed collection, so every list on screen shows it at once.
 */
export function LinkVersionSheet({ open, onOpenChange, registry, collection }: LinkVersionSheetProps) {
  const [team, setTeam] = useState('');
  const [project, setProject] = useState('');
  const [sequence, setSequence] = useState('');
  const [artifactId, setArtifactId] = useState('');
  const [aliasText, setAliasText] = useState('');
  const [done, setDone] = useState<{ version: string; already: boolean } | null>(null);

  const [target] = useQuery({
    query: LinkVersionSheetQuery,
    variables: { registry: `${REGISTRY_PREFIX}${registry}`, collection: collection.id },
    pause: !open,
  });
  const [projects] = useQuery({ query: LinkVersionSheet_Projects, variables: { team }, pause: !team });
  const [artifacts] = useQuery({
    query: LinkVersionSheet_Artifacts,
    variables: { team, project, type: collection.type },
    pause: !team || !project,
  });
  const [versions] = useQuery({ query: LinkVersionSheet_Versions, variables: { sequence }, pause: !sequence });
  const [linking, link] = useMutation(LinkVersionSheet_Link);

  const registryProject = target.data?.viewer?.organizations[0]?.orgEntity?.project;
  const linked = target.data?.artifactCollection;
  const teams = target.data?.viewer?.teams?.edges ?? [];
  // Which vN of this collection each source version is, and which vN holds each alias.
  const { linkedAs, holders } = useMemo(() => {
    const linkedAs = new Map<string, string>();
    const holders = new Map<string, string>();
    for (const { node } of linked?.artifactMemberships.edges ?? []) {
      if (node.artifact) linkedAs.set(node.artifact.id, node.version);
      for (const { alias } of node.aliases) holders.set(alias, node.version);
    }
    return { linkedAs, holders };
  }, [linked]);

  const aliases = splitAliases(aliasText);
  const check = checkAliases(aliases, {
    holders,
    protectedAliases: registryProject?.protectedAliases ?? [],
    mayUseProtected: roleAllows(registryProject?.viewerRole?.role, 'admin'),
    self: linkedAs.get(artifactId),
  });

  const choose = (level: 'team' | 'project' | 'sequence' | 'version', value: string) => {
    setDone(null);
    if (level === 'team') setTeam(value);
    if (level === 'team' || level === 'project') setProject(level === 'project' ? value : '');
    if (level !== 'version') setSequence(level === 'sequence' ? value : '');
    setArtifactId(level === 'version' ? value : '');
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!artifactId || check.errors.length > 0) return;
    const before = linked && 'versionCount' in linked ? linked.versionCount : undefined;
    const result = await link({
      input: {
        artifactID: artifactId,
        artifactPortfolioID: collection.id,
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection.name })),
      },
    });
    const membership = result.data?.linkArtifact?.artifactMembership;
    if (!membership) return;
    const after =
      membership.artifactCollection && 'versionCount' in membership.artifactCollection
        ? membership.artifactCollection.versionCount
        : undefined;
    setDone({ version: membership.version, already: before !== undefined && before === after });
    setAliasText('');
  }

  const sources = artifacts.data?.project?.artifactType?.artifactCollections?.edges ?? [];
  const versionList = versions.data?.artifactCollection?.artifactMemberships.edges ?? [];
  const versionsPath = `/registry/${encodeURIComponent(registry)}/${encodeURIComponent(collection.name)}`;

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      variant="sheet"
      title="Link new version"
      description={
        <>
          Into <strong>{collection.name}</strong>, which holds <code>{collection.type}</code> versions.
        </>
      }
    >
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Select
          label="Team"
          value={team}
          onChange={(v) => choose('team', v)}
          placeholder={teams.length ? 'Choose a team' : target.fetching ? 'Loading…' : 'You are in no team'}
          disabled={teams.length === 0}
        >
          {teams.map(({ node }) => (
            <option key={node.id} value={node.name}>
              {node.name}
            </option>
          ))}
        </Select>
        <Select
          label="Project"
          value={project}
          onChange={(v) => choose('project', v)}
          placeholder={projects.fetching ? 'Loading…' : 'Choose a project'}
          disabled={!team}
        >
          {(projects.data?.entity?.projects?.edges ?? []).map(({ node }) => (
            <option key={node.id} value={node.name}>
              {node.name}
            </option>
          ))}
        </Select>
        <Select
          label="Artifact"
          value={sequence}
          onChange={(v) => choose('sequence', v)}
          placeholder={
            artifacts.fetching
              ? 'Loading…'
              : project && sources.length === 0
                ? `No ${collection.type} artifacts here`
                : 'Choose an artifact'
          }
          disabled={!project || sources.length === 0}
        >
          {sources.map(({ node }) => (
            <option key={node.id} value={node.id}>
              {node.name}
            </option>
          ))}
        </Select>
        <Select
          label="Version"
          value={artifactId}
          onChange={(v) => choose('version', v)}
          placeholder={versions.fetching ? 'Loading…' : 'Choose a version'}
          disabled={!sequence}
        >
          {versionList.map(({ node }) =>
            node.artifact ? (
              <option key={node.id} value={node.artifact.id}>
                {node.version}
                {node.aliases.length ? ` (${node.aliases.map((a) => a.alias).join(', ')})` : ''}
                {linkedAs.has(node.artifact.id) ? ` — linked as ${linkedAs.get(node.artifact.id)}` : ''}
              </option>
            ) : null,
          )}
        </Select>
        <AliasesField value={aliasText} onChange={setAliasText} check={check} label="Aliases (optional)" />
        {linking.error && (
          <p className="form-error" role="alert">
            {errorMessage(linking.error)}
          </p>
        )}
        <div role="status" className="link-status">
          {done && (
            <p className={done.already ? 'field__warning' : 'link-status__done'}>
              {done.already ? `Already linked as ${done.version}.` : `Linked as ${done.version}.`}{' '}
              <Link to={`${versionsPath}/${done.version}`} onClick={() => onOpenChange(false)}>
                View {done.version}
              </Link>
            </p>
          )}
        </div>
        <div className="actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Done
          </button>
          <button type="submit" className="button button--primary" disabled={!artifactId || check.errors.length > 0 || linking.fetching}>
            {linking.fetching ? 'Linking…' : 'Link'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
