import { useId, useState } from 'react';
import { NavLink } from 'react-router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { artifactsPath } from '../format';

export const ArtifactSidebar_Project = graphql(`
  fragment ArtifactSidebar_Project on Project {
    id
    name
    entityName
    artifactTypes(first: 100) {
      edges {
        node {
          id
          name
          artifactCollections(first: 100, order: "+name") {
            edges {
              node {
                id
                name
                artifactMemberships(first: 0) {
                  totalCount
                }
              }
            }
          }
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
  const types = p.artifactTypes.edges.map(({ node: type }) => ({
    ...type,
    collections: (type.artifactCollections?.edges ?? []).map((e) => e.node).filter((c) => c.name.toLowerCase().includes(needle)),
  }));
  const shown = types.filter((type) => type.collections.length > 0);

  return (
    <nav className="artifact-sidebar" aria-label="Artifacts">
      <div className="field">
        <label className="field__label" htmlFor={searchId}>
          Search collections
        </label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name contains…" />
      </div>
      {types.length === 0 ? (
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
                const count = collection.artifactMemberships.totalCount;
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
    </nav>
  );
}
