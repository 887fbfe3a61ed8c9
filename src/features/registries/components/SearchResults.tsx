import { useId, type ReactNode } from 'react';
import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { registryPath } from '../names';

export const SearchResults_RegistrySearch = graphql(`
  fragment SearchResults_RegistrySearch on RegistrySearch {
    query
    collections {
      hasMore
      nodes {
        id
        name
        project {
          id
          name
          displayName
        }
      }
    }
    tags {
      hasMore
      nodes {
        tag
        collection {
          id
          name
          project {
            id
            name
            displayName
          }
        }
      }
    }
    aliases {
      hasMore
      nodes {
        alias
        version {
          id
          version
          artifactCollection {
            id
            name
            project {
              id
              name
              displayName
            }
          }
        }
      }
    }
    versions {
      hasMore
      nodes {
        id
        version
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
            displayName
          }
        }
      }
    }
  }
`);

interface Place {
  name: string;
  project: { name: string; displayName: string } | null;
}

function collectionPath(c: Place): string {
  return `${registryPath(c.project?.name ?? '')}/${encodeURIComponent(c.name)}`;
}

/** Where a result lives, after its link: "in Models". */
function InRegistry({ collection }: { collection: Place }) {
  return <span className="search-hit__where">in {collection.project?.displayName ?? 'a registry'}</span>;
}

function Group({ title, more, children }: { title: string; more: boolean; children: ReactNode }) {
  const id = useId();
  return (
    <div className="search-group" role="group" aria-labelledby={id}>
      <h3 id={id} className="search-group__title">
        {title}
      </h3>
      <ul className="search-group__list">{children}</ul>
      {more && <p className="search-group__more">More {title.toLowerCase()} match: type more to narrow the search.</p>}
    </div>
  );
}

/**
 * What the home page's search found beyond registry names, by kind: collections, collections by tag,
 * versions by alias and versions by name, each a link to its page.
 */
export function SearchResults({ search }: { search: FragmentOf<typeof SearchResults_RegistrySearch> }) {
  const s = readFragment(SearchResults_RegistrySearch, search);
  const none = [s.collections, s.tags, s.aliases, s.versions].every((group) => group.nodes.length === 0);
  return (
    <section className="search-results" aria-labelledby="search-results-title">
      <h2 id="search-results-title" className="search-results__title">
        Collections and versions
      </h2>
      {none ? (
        <p className="search-results__none">No collection, tag, alias or version matches “{s.query}”.</p>
      ) : (
        <div className="search-results__groups">
          {s.collections.nodes.length > 0 && (
            <Group title="Collections" more={s.collections.hasMore}>
              {s.collections.nodes.map((c) => (
                <li key={c.id} className="search-hit">
                  <Link to={collectionPath(c)}>{c.name}</Link> <InRegistry collection={c} />
                </li>
              ))}
            </Group>
          )}
          {s.tags.nodes.length > 0 && (
            <Group title="Tags" more={s.tags.hasMore}>
              {s.tags.nodes.map(({ tag, collection }) => (
                <li key={`${tag}:${collection.id}`} className="search-hit">
                  <span className="chip chip--tag">{tag}</span> <Link to={collectionPath(collection)}>{collection.name}</Link>{' '}
                  <InRegistry collection={collection} />
                </li>
              ))}
            </Group>
          )}
          {s.aliases.nodes.length > 0 && (
            <Group title="Aliases" more={s.aliases.hasMore}>
              {s.aliases.nodes.map(({ alias, version }) => (
                <VersionHit key={`${alias}:${version.id}`} version={version} aliases={[alias]} />
              ))}
            </Group>
          )}
          {s.versions.nodes.length > 0 && (
            <Group title="Versions" more={s.versions.hasMore}>
              {s.versions.nodes.map((version) => (
                <VersionHit key={version.id} version={version} aliases={version.aliases.map((a) => a.alias)} />
              ))}
            </Group>
          )}
        </div>
      )}
    </section>
  );
}

function VersionHit({ version, aliases }: { version: { version: string; artifactCollection: Place | null }; aliases: string[] }) {
  const collection = version.artifactCollection;
  if (!collection) return null;
  return (
    <li className="search-hit">
      <Link to={`${collectionPath(collection)}/${encodeURIComponent(version.version)}`}>
        {collection.name}:{version.version}
      </Link>{' '}
      {aliases.map((alias) => (
        <span key={alias} className="chip">
          {alias}
        </span>
      ))}{' '}
      <InRegistry collection={collection} />
    </li>
  );
}
