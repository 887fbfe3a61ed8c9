import { useId, useState } from 'react';
import { NavLink } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { artifactsPath } from '../format';

export const ArtifactSidebar_Project = graphql(`
  fragment ArtifactSidebar_Project on Project {
    id
    name
    entityName
    artifactCollections(collectionTypes: [SEQUENCE], first: 200, order: "+name") {
      totalCount
      edges {
        node {
          id
          name
          defaultArtifactType {
            id
            name
          }
          versionCount
        }
      }
    }
  }
`);

/** Artifact types and their collections (with version counts), filtered by a search box. */
export function ArtifactSidebar({ project }: { project: FragmentOf<typeof ArtifactSidebar_Project> }) {
  const p = readFragment(ArtifactSidebar_Project, project);
  const [search, setSearch] = useState('');
  const searchId = useId();
  const needle = search.trim().toLowerCase();
  // One flat list (a nested types × collections page would multiply the query's cost), grouped here.
  const all = p.artifactCollections?.edges.map((e) => e.node) ?? [];
  const types = new Map<string, { id: string; name: string; collections: typeof all }>();
  for (const c of all) {
    const type = types.get(c.defaultArtifactType.id) ?? { ...c.defaultArtifactType, collections: [] };
    types.set(type.id, type);
    if (c.name.toLowerCase().includes(needle)) type.collections.push(c);
  }
  const shown = [...types.values()].sort((a, b) => a.name.localeCompare(b.name)).filter((type) => type.collections.length > 0);
  const total = p.artifactCollections?.totalCount ?? 0;

  return (
    <nav className="artifact-sidebar" aria-label="Artifacts">
      <div className="field">
        <label className="field__label" htmlFor={searchId}>
          Search collections
        </label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name contains…" />
      </div>
      {all.length === 0 ? (
        <p className="muted">No artifacts logged yet.</p>
      ) : shown.length === 0 ? (
        <p className="muted">No collection matches "{search}".</p>
      ) : (
        shown.map((type) => (
          <section key={type.id} className="artifact-sidebar__type" aria-labelledby={`type-${type.id}`}>
            <h2 id={`type-${type.id}`} className="artifact-sidebar__heading">
              {type.name}
            </h2>
            <ul>
              {type.collections.map((collection) => {
                const count = collection.versionCount;
                return (
                  <li key={collection.id}>
                    <NavLink to={artifactsPath(p.entityName, p.name, type.name, collection.name)} className="artifact-sidebar__link">
                      <span className="artifact-sidebar__name">{collection.name}</span>
                      <span className="artifact-sidebar__count" aria-label={`${count} ${count === 1 ? 'version' : 'versions'}`}>
                        {count}
                      </span>
                    </NavLink>
                  </li>
                );
              })}
            </ul>
          </section>
        ))
      )}
      {total > all.length && (
        <p className="muted">
          Showing the first {all.length} of {total} collections.
        </p>
      )}
    </nav>
  );
}
