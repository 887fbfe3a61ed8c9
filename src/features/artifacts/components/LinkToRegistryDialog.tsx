import { useId, useState, type FormEvent } from 'react';
import { Link } from '@/lib/router';
import { useMutation, useQuery } from 'urql';
import { AliasesField, checkAliases, splitAliases, useAliasLookup } from '@/components/AliasesField';
import { SearchSelect, type ComboboxOption } from '@/components/Combobox';
import { Dialog } from '@/components/Dialog';
import { ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { containsPattern } from '@/lib/filters';
import { graphql } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import { registryShortName } from '@/lib/format';
import { nameProblem } from '@/lib/names';
import { useSettled } from '@/lib/useSettled';
import { LinkedTo_Artifact, linkedVersionPath, type RegistryLink } from './LinkedTo';

const LinkTargetsQuery = graphql(`
  query LinkToRegistryDialog {
    viewer {
      id
      organizations {
        id
        orgEntity {
          id
          projects(first: 100, order: "+created_at") {
            edges {
              node {
                id
                name
                displayName
                allowAllArtifactTypesInRegistry
                protectedAliases
                artifactTypes {
                  edges {
                    node {
                      id
                      name
                    }
                  }
                }
                viewerRole {
                  role
                }
              }
            }
            pageInfo {
              endCursor
              hasNextPage
            }
          }
        }
      }
    }
  }
`);

// Collections of the version's type, in the registries it may go to, whose name holds the text.
const LinkCollectionsQuery = graphql(`
  query LinkToRegistryDialog_Collections($filters: JSONString!, $projectFilters: JSONString!, $first: Int!) {
    viewer {
      id
      organizations {
        id
        orgEntity {
          id
          artifactCollections(
            first: $first
            filters: $filters
            projectFilters: $projectFilters
            collectionTypes: [PORTFOLIO]
            order: "+name"
          ) {
            edges {
              node {
                id
                name
                project {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`);

const LinkMutation = graphql(
  `
    mutation LinkToRegistryDialog_Link($input: LinkArtifactInput!) {
      linkArtifact(input: $input) {
        versionIndex
        artifactMembership {
          id
          versionIndex
          aliases {
            id
            alias
          }
          artifactCollection {
            id
            name
            project {
              id
              name
            }
          }
          artifact {
            id
            ...LinkedTo_Artifact
          }
        }
      }
    }
  `,
  [LinkedTo_Artifact],
);

interface Registry {
  id: string;
  name: string;
  displayName: string;
  accepts: string;
  protectedAliases: string[];
  admin: boolean;
}

type Target = { kind: 'existing'; collectionId: string; collection: string; registry: Registry } | { kind: 'new'; registry: Registry };

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  version: { id: string; type: string; fullName: string; links: RegistryLink[] };
  orgEntityName: string;
}

/**
 * "Link to registry": pick a collection of the version's type in a registry the viewer may link into
 * (or a new one), **Next step**, optional **Aliases**, **Link to registry**.
 */
export default function LinkToRegistryDialog({ open, onOpenChange, version, orgEntityName }: Props) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: LinkTargetsQuery });
  const [step, setStep] = useState<'pick' | 'aliases' | 'done'>('pick');
  const [target, setTarget] = useState<Target | null>(null);
  const [newName, setNewName] = useState('');
  const [search, setSearch] = useState('');
  const [aliasText, setAliasText] = useState('');
  const [link, linkVersion] = useMutation(LinkMutation);
  const [outcome, setOutcome] = useState<{
    versionIndex: number;
    existed: boolean;
    registry: string;
    registryName: string;
    collection: string;
  } | null>(null);
  const ids = { newName: useId(), newNameError: useId() };
  const settledSearch = useSettled(search.trim());
  const settledName = useSettled(newName.trim());

  const orgEntity = data?.viewer?.organizations[0]?.orgEntity;
  const registries = (orgEntity?.projects?.edges ?? []).map(({ node }) => {
    const types = node.artifactTypes.edges.map((e) => e.node.name);
    return {
      id: node.id,
      name: node.name,
      displayName: node.displayName,
      accepts: node.allowAllArtifactTypesInRegistry ? 'all types' : types.length ? types.join(', ') : 'no types yet',
      acceptsType: node.allowAllArtifactTypesInRegistry || types.includes(version.type),
      mayLink: roleAllows(node.viewerRole?.role, 'member'),
      protectedAliases: node.protectedAliases,
      admin: roleAllows(node.viewerRole?.role, 'admin'),
    };
  });
  const linkable = registries.filter((r) => r.mayLink);
  const eligible = linkable.filter((r) => r.acceptsType);
  const byRegistry = new Map(eligible.map((r) => [r.id, r]));
  const inEligible = JSON.stringify({ name: { $in: eligible.map((r) => r.name) } });

  // The server's first matches among the registries the version may go to.
  const [found] = useQuery({
    query: LinkCollectionsQuery,
    variables: {
      filters: JSON.stringify({ type: version.type, ...(settledSearch ? { name: { $regex: containsPattern(settledSearch) } } : {}) }),
      projectFilters: inEligible,
      first: 20,
    },
    pause: step !== 'pick' || eligible.length === 0,
  });
  // A new collection's name already used in its registry: that collection is to be picked instead.
  const [sameName] = useQuery({
    query: LinkCollectionsQuery,
    variables: {
      filters: JSON.stringify({ name: settledName }),
      projectFilters: JSON.stringify({ name: target?.registry.name ?? '' }),
      first: 1,
    },
    pause: target?.kind !== 'new' || settledName === '' || nameProblem('Collection', settledName) !== null,
  });

  const optionFor = (t: Target): ComboboxOption & { target: Target } => {
    if (t.kind === 'new')
      return {
        value: `new:${t.registry.id}`,
        label: `New collection in ${t.registry.displayName}`,
        detail: `accepts ${t.registry.accepts}`,
        target: t,
      };
    const already = version.links.find((l) => l.collectionId === t.collectionId);
    return {
      value: t.collectionId,
      label: t.collection,
      detail: `in ${t.registry.displayName}${already ? ` · already linked as v${already.versionIndex}` : ''}`,
      target: t,
    };
  };
  const options: (ComboboxOption & { target: Target })[] = [];
  for (const { node } of found.data?.viewer?.organizations[0]?.orgEntity?.artifactCollections?.edges ?? []) {
    const registry = node.project && byRegistry.get(node.project.id);
    if (registry) options.push(optionFor({ kind: 'existing', collectionId: node.id, collection: node.name, registry }));
  }
  for (const registry of eligible) options.push(optionFor({ kind: 'new', registry }));

  const collectionName = target?.kind === 'existing' ? target.collection : newName.trim();
  const taken =
    target?.kind === 'new' &&
    collectionName === settledName &&
    (sameName.data?.viewer?.organizations[0]?.orgEntity?.artifactCollections?.edges.length ?? 0) > 0;
  const newNameError =
    target?.kind !== 'new' || newName === ''
      ? null
      : (nameProblem('Collection', collectionName) ??
        (taken ? `${target.registry.displayName} already has "${collectionName}": pick it in the list instead.` : null));
  // Next step waits for the server to say whether the name is free.
  const checkingName = target?.kind === 'new' && (collectionName !== settledName || sameName.fetching);
  const existingLink = target?.kind === 'existing' ? version.links.find((l) => l.collectionId === target.collectionId) : undefined;

  const lookup = useAliasLookup(step === 'aliases' && target?.kind === 'existing' ? target.collectionId : null, aliasText);
  const aliases = splitAliases(aliasText);
  const check = checkAliases(aliases, {
    holders: lookup.holders,
    protectedAliases: target?.registry.protectedAliases ?? [],
    mayUseProtected: target?.registry.admin ?? false,
    self: existingLink ? `v${existingLink.versionIndex}` : undefined,
  });

  function next(e: FormEvent) {
    e.preventDefault();
    if (target && collectionName && !newNameError && !checkingName) setStep('aliases');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target || check.errors.length > 0) return;
    const result = await linkVersion({
      input: {
        artifactID: version.id,
        entityName: orgEntityName,
        projectName: target.registry.name,
        artifactPortfolioName: collectionName,
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collectionName })),
      },
    });
    const membership = result.data?.linkArtifact?.artifactMembership;
    if (result.error || !membership || membership.versionIndex === null) return;
    setOutcome({
      versionIndex: membership.versionIndex,
      existed: version.links.some((l) => l.membershipId === membership.id),
      registry: registryShortName(target.registry.name),
      registryName: target.registry.displayName,
      collection: collectionName,
    });
    setStep('done');
  }

  const pickLabel = version.type === 'model' ? 'Select a registered model' : `Select a registry collection for this ${version.type}`;

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      variant="sheet"
      title="Link to registry"
      description={<span className="mono">{version.fullName}</span>}
    >
      {fetching && !data ? (
        <Loading label="Loading registries…" />
      ) : error && !data ? (
        <ErrorState
          title="The registries could not be loaded"
          message={error.message}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
        />
      ) : eligible.length === 0 ? (
        <div className="stack" role="status">
          <p>
            <strong>No registry you can link into accepts type '{version.type}'.</strong>{' '}
            {linkable.length > 0
              ? `${linkable.map((r) => `${r.displayName} accepts ${r.accepts}`).join('; ')}.`
              : 'You are not a member or admin of any registry.'}
          </p>
          <p className="muted">A registry admin can add '{version.type}' to a registry's accepted types in its settings.</p>
        </div>
      ) : step === 'pick' ? (
        <form className="stack" onSubmit={next}>
          <SearchSelect
            label={pickLabel}
            chosenLabel={
              !target
                ? ''
                : target.kind === 'new'
                  ? `New collection in ${target.registry.displayName}`
                  : `${target.collection} in ${target.registry.displayName}`
            }
            selected={target ? optionFor(target).value : null}
            onSearch={setSearch}
            options={options}
            onSelect={(option) => {
              const picked = options.find((o) => o.value === option.value);
              if (picked) setTarget(picked.target);
            }}
            loading={found.fetching || settledSearch !== search.trim()}
            placeholder="Search collections by name"
            emptyText={found.error ? 'The collections could not be loaded.' : `Nothing matches "${settledSearch}".`}
          />
          {target?.kind === 'new' && (
            <div className="field">
              <label className="field__label" htmlFor={ids.newName}>
                New collection name
              </label>
              <input
                id={ids.newName}
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
                aria-invalid={newNameError !== null}
                aria-describedby={ids.newNameError}
                autoComplete="off"
              />
              <p id={ids.newNameError} className="field__error">
                {newNameError}
              </p>
            </div>
          )}
          <div className="actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={!target || !collectionName || newNameError !== null || checkingName}
            >
              Next step
            </button>
          </div>
        </form>
      ) : step === 'aliases' && target ? (
        <form className="stack" onSubmit={submit}>
          <p>
            Link to <strong>{target.registry.displayName}</strong> / <strong>{collectionName}</strong>
            {target.kind === 'new' ? ' (a new collection)' : ''}.
            {existingLink ? ` This version is already linked there as v${existingLink.versionIndex}.` : ''}
          </p>
          <AliasesField
            label="Aliases"
            value={aliasText}
            onChange={setAliasText}
            check={check}
            suggestions={target.kind === 'existing' ? lookup.suggestions : undefined}
          />
          {link.error && (
            <p className="form-error" role="alert">
              {errorMessage(link.error)}
            </p>
          )}
          <div className="actions">
            <button type="button" className="button" onClick={() => setStep('pick')}>
              Back
            </button>
            <button type="submit" className="button button--primary" disabled={link.fetching || check.errors.length > 0}>
              {link.fetching ? 'Linking…' : 'Link to registry'}
            </button>
          </div>
        </form>
      ) : outcome ? (
        <div className="stack" role="status">
          <p className="link-outcome">
            {outcome.existed ? `Already linked as v${outcome.versionIndex}` : `Linked as v${outcome.versionIndex}`} in{' '}
            {outcome.registryName} / {outcome.collection}.
          </p>
          <p>
            <Link
              to={linkedVersionPath({ registry: outcome.registry, collection: outcome.collection, versionIndex: outcome.versionIndex })}
            >
              View {outcome.collection}:v{outcome.versionIndex} in {outcome.registryName}
            </Link>
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => onOpenChange(false)}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
