import { useMemo, useState, type FormEvent } from 'react';
import { Link } from '@/lib/router';
import { useMutation, useQuery } from 'urql';
import { AliasesField, checkAliases, splitAliases, useAliasLookup } from '@/components/AliasesField';
import { SearchSelect, type ComboboxOption } from '@/components/Combobox';
import { Dialog } from '@/components/Dialog';
import { containsPattern } from '@/lib/filters';
import { graphql, readFragment } from '@/lib/graphql';
import { useSettled } from '@/lib/useSettled';
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
// viewer's role there, and the collection's version count (to tell a new link from one already there).
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
    }
  }
`);

const PAGE = 20;

const LinkVersionSheet_Projects = graphql(`
  query LinkVersionSheet_Projects($team: String!, $filters: JSONString) {
    entity(name: $team) {
      id
      projects(first: 20, order: "+name", filters: $filters) {
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
  query LinkVersionSheet_Artifacts($team: String!, $project: String!, $type: String!, $filters: JSONString) {
    project(entityName: $team, name: $project) {
      id
      artifactType(name: $type) {
        id
        artifactCollections(first: 20, order: "+name", filters: $filters) {
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

// A source version as an option: its aliases, and the collections it is in (to say "linked as vN").
const LinkVersionSheet_Version = graphql(`
  fragment LinkVersionSheet_Version on ArtifactCollectionMembership {
    id
    version
    aliases {
      id
      alias
    }
    artifact {
      id
      artifactMemberships(first: 20) {
        edges {
          node {
            id
            version
            artifactCollection {
              id
            }
          }
        }
      }
    }
  }
`);

// The newest versions, or those whose vN or alias holds the text; the one named exactly comes first.
const LinkVersionSheet_Versions = graphql(
  `
    query LinkVersionSheet_Versions($sequence: ID!, $matches: JSONString, $exact: JSONString, $withExact: Boolean!) {
      artifactCollection(id: $sequence) {
        id
        exact: artifactMemberships(first: 2, filters: $exact) @include(if: $withExact) {
          edges {
            node {
              ...LinkVersionSheet_Version
            }
          }
        }
        artifactMemberships(first: 20, filters: $matches) {
          edges {
            node {
              ...LinkVersionSheet_Version
            }
          }
        }
      }
    }
  `,
  [LinkVersionSheet_Version],
);

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

interface Chosen {
  value: string;
  label: string;
  /** A chosen version's vN in the target when already linked there, kept while other searches show. */
  self?: string;
}

const NONE: Chosen = { value: '', label: '' };

/** The server filter of a version search: vN or alias holding the text, and the one named exactly. */
function versionFilters(text: string) {
  const needle = text.trim();
  if (!needle) return { matches: null, exact: null, withExact: false };
  const pattern = { $regex: containsPattern(needle) };
  return {
    matches: JSON.stringify({ $or: [{ version: pattern }, { alias: pattern }] }),
    exact: JSON.stringify({ $or: [{ version: needle }, { alias: needle }] }),
    withExact: true,
  };
}

const nameFilter = (text: string) => (text.trim() ? JSON.stringify({ name: { $regex: containsPattern(text.trim()) } }) : null);

/**
 * "Link new version": pick Team → Project → Artifact → Version, each a search the server answers as
 * you type (its first 20 matches, with only what the viewer can read and what the collection's type
 * accepts), add aliases, Link. The link answers with the changed collection, so every list on screen
 * shows it at once.
 */
export function LinkVersionSheet({ open, onOpenChange, registry, collection }: LinkVersionSheetProps) {
  const [team, setTeam] = useState(NONE);
  const [project, setProject] = useState(NONE);
  const [sequence, setSequence] = useState(NONE);
  const [version, setVersion] = useState(NONE);
  const [searches, setSearches] = useState({ team: '', project: '', artifact: '', version: '' });
  const [aliasText, setAliasText] = useState('');
  const [done, setDone] = useState<{ version: string; already: boolean } | null>(null);
  const settled = {
    project: useSettled(searches.project),
    artifact: useSettled(searches.artifact),
    version: useSettled(searches.version),
  };

  const [target] = useQuery({
    query: LinkVersionSheetQuery,
    variables: { registry: `${REGISTRY_PREFIX}${registry}`, collection: collection.id },
    pause: !open,
  });
  const [projects] = useQuery({
    query: LinkVersionSheet_Projects,
    variables: { team: team.value, filters: nameFilter(settled.project) },
    pause: !team.value,
  });
  const [artifacts] = useQuery({
    query: LinkVersionSheet_Artifacts,
    variables: { team: team.value, project: project.value, type: collection.type, filters: nameFilter(settled.artifact) },
    pause: !team.value || !project.value,
  });
  const [versions] = useQuery({
    query: LinkVersionSheet_Versions,
    variables: { sequence: sequence.value, ...versionFilters(settled.version) },
    pause: !sequence.value,
  });
  const [linking, link] = useMutation(LinkVersionSheet_Link);
  const lookup = useAliasLookup(open ? collection.id : null, aliasText);

  const registryProject = target.data?.viewer?.organizations[0]?.orgEntity?.project;
  const linked = target.data?.artifactCollection;
  const teamNeedle = searches.team.trim().toLowerCase();
  // A person is in a handful of teams: they come whole with the viewer and are searched here.
  const teams = (target.data?.viewer?.teams?.edges ?? []).map(({ node }) => node.name);
  const teamOptions = teams
    .filter((name) => name.toLowerCase().includes(teamNeedle))
    .slice(0, PAGE)
    .map((name) => ({ value: name, label: name }));
  const projectOptions = (projects.data?.entity?.projects?.edges ?? []).map(({ node }) => ({ value: node.name, label: node.name }));
  const artifactOptions = (artifacts.data?.project?.artifactType?.artifactCollections?.edges ?? []).map(({ node }) => ({
    value: node.id,
    label: node.name,
  }));
  const { versionOptions, linkedAs } = useMemo(() => {
    const found = versions.data?.artifactCollection;
    const nodes = [...(found?.exact?.edges ?? []), ...(found?.artifactMemberships.edges ?? [])].map(({ node }) =>
      readFragment(LinkVersionSheet_Version, node),
    );
    const linkedAs = new Map<string, string>();
    const versionOptions: ComboboxOption[] = [];
    for (const node of nodes) {
      if (!node.artifact || versionOptions.some((o) => o.value === node.artifact?.id)) continue;
      const here = node.artifact.artifactMemberships.edges.find((e) => e.node.artifactCollection?.id === collection.id);
      if (here) linkedAs.set(node.artifact.id, here.node.version);
      const aliases = node.aliases.map((a) => a.alias).join(', ');
      versionOptions.push({
        value: node.artifact.id,
        label: aliases ? `${node.version} (${aliases})` : node.version,
        detail: here ? `linked as ${here.node.version}` : undefined,
      });
    }
    return { versionOptions: versionOptions.slice(0, PAGE), linkedAs };
  }, [versions.data, collection.id]);

  const aliases = splitAliases(aliasText);
  const check = checkAliases(aliases, {
    holders: lookup.holders,
    protectedAliases: registryProject?.protectedAliases ?? [],
    mayUseProtected: roleAllows(registryProject?.viewerRole?.role, 'admin'),
    self: linkedAs.get(version.value) ?? version.self,
  });

  const search = (level: keyof typeof searches) => (text: string) => setSearches((s) => ({ ...s, [level]: text }));
  // A choice empties the choices after it, and their searches.
  const choose = (level: 'team' | 'project' | 'artifact' | 'version', option: Chosen) => {
    const order = ['team', 'project', 'artifact', 'version'] as const;
    const at = order.indexOf(level);
    setDone(null);
    if (at === 0) setTeam(option);
    if (at <= 1) setProject(at === 1 ? option : NONE);
    if (at <= 2) setSequence(at === 2 ? option : NONE);
    setVersion(at === 3 ? option : NONE);
    setSearches((s) => ({ ...s, ...Object.fromEntries(order.slice(at + 1).map((l) => [l, ''])) }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!version.value || check.errors.length > 0) return;
    const before = linked && 'versionCount' in linked ? linked.versionCount : undefined;
    const result = await link({
      input: {
        artifactID: version.value,
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

  const versionsPath = `/registry/${encodeURIComponent(registry)}/${encodeURIComponent(collection.name)}`;
  const searching = (fetching: boolean, settledText: string, typed: string) => fetching || settledText !== typed;

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
        <SearchSelect
          label="Team"
          chosenLabel={team.label}
          selected={team.value}
          onSearch={search('team')}
          options={teamOptions}
          onSelect={(o) => choose('team', o)}
          placeholder={teams.length ? 'Search your teams' : target.fetching ? 'Loading…' : 'You are in no team'}
          disabled={teams.length === 0}
          emptyText="No team of yours matches."
        />
        <SearchSelect
          label="Project"
          chosenLabel={project.label}
          selected={project.value}
          onSearch={search('project')}
          options={projectOptions}
          onSelect={(o) => choose('project', o)}
          loading={searching(projects.fetching, settled.project, searches.project)}
          placeholder={team.value ? 'Search the team’s projects' : 'Choose a team first'}
          disabled={!team.value}
          emptyText={
            projects.error
              ? 'The projects could not be loaded.'
              : settled.project
                ? `No project matches "${settled.project}".`
                : 'This team has no projects.'
          }
        />
        <SearchSelect
          label="Artifact"
          chosenLabel={sequence.label}
          selected={sequence.value}
          onSearch={search('artifact')}
          options={artifactOptions}
          onSelect={(o) => choose('artifact', o)}
          loading={searching(artifacts.fetching, settled.artifact, searches.artifact)}
          placeholder={project.value ? `Search ${collection.type} artifacts` : 'Choose a project first'}
          disabled={!project.value}
          emptyText={
            artifacts.error
              ? 'The artifacts could not be loaded.'
              : settled.artifact
                ? `No ${collection.type} artifact matches "${settled.artifact}".`
                : `No ${collection.type} artifacts here.`
          }
        />
        <SearchSelect
          label="Version"
          chosenLabel={version.label}
          selected={version.value}
          onSearch={search('version')}
          options={versionOptions}
          onSelect={(o) => choose('version', { ...o, self: linkedAs.get(o.value) })}
          loading={searching(versions.fetching, settled.version, searches.version)}
          placeholder={sequence.value ? 'Type a version (v12) or an alias' : 'Choose an artifact first'}
          disabled={!sequence.value}
          emptyText={
            versions.error
              ? 'The versions could not be loaded.'
              : settled.version
                ? `No version or alias matches "${settled.version}".`
                : 'No versions yet.'
          }
        />
        <AliasesField value={aliasText} onChange={setAliasText} check={check} label="Aliases (optional)" suggestions={lookup.suggestions} />
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
          <button type="submit" className="button button--primary" disabled={!version.value || check.errors.length > 0 || linking.fetching}>
            {linking.fetching ? 'Linking…' : 'Link'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
