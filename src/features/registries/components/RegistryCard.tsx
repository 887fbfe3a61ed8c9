import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const RegistryCard_Project = graphql(`
  fragment RegistryCard_Project on Project {
    id
    name
    displayName
    description
    access
    allowAllArtifactTypesInRegistry
    artifactTypes {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** One registry on the home page: name, description, accepted types, visibility. */
export function RegistryCard({ registry }: { registry: FragmentOf<typeof RegistryCard_Project> }) {
  const r = readFragment(RegistryCard_Project, registry);
  const types = r.artifactTypes.edges.map((e) => e.node.name);
  const restricted = r.access === 'RESTRICTED';
  return (
    <article className="card" aria-labelledby={`registry-${r.id}`}>
      <header className="card__header">
        <h2 id={`registry-${r.id}`} className="card__title">
          {r.displayName}
        </h2>
        <span className={`badge ${restricted ? 'badge--restricted' : ''}`}>{restricted ? 'Restricted' : 'Organization'}</span>
      </header>
      <p className="card__name">{r.name}</p>
      {r.description ? <p className="card__description">{r.description}</p> : null}
      <div className="card__types" aria-label="Accepted types">
        {r.allowAllArtifactTypesInRegistry ? (
          <span className="chip">All types</span>
        ) : (
          types.map((type) => (
            <span className="chip" key={type}>
              {type}
            </span>
          ))
        )}
      </div>
    </article>
  );
}
