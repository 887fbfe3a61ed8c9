import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { registryPath } from '../names';

export const RegistryCard_Project = graphql(`
  fragment RegistryCard_Project on Project {
    id
    name
    displayName
    description
    access
    allowAllArtifactTypesInRegistry
    collectionCount
    linkedVersionCount
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

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One registry on the home page: name, description, accepted types, visibility, what it holds. */
export function RegistryCard({ registry }: { registry: FragmentOf<typeof RegistryCard_Project> }) {
  const r = readFragment(RegistryCard_Project, registry);
  const types = r.artifactTypes.edges.map((e) => e.node.name);
  const restricted = r.access === 'RESTRICTED';
  return (
    <article className="card card--link" aria-labelledby={`registry-${r.id}`}>
      <header className="card__header">
        <h2 id={`registry-${r.id}`} className="card__title">
          {/* The whole card is the link's target area (see .card--link); the name is its text. */}
          <Link to={registryPath(r.name)} className="card__link">
            {r.displayName}
          </Link>
        </h2>
        <span className={`badge ${restricted ? 'badge--restricted' : ''}`}>{restricted ? 'Restricted' : 'Organization'}</span>
      </header>
      <p className="card__name">{r.name}</p>
      {r.description ? <p className="card__description">{r.description}</p> : null}
      <p className="card__stats" aria-label="Contents">
        {plural(r.collectionCount, 'collection', 'collections')} · {plural(r.linkedVersionCount, 'version', 'versions')}
      </p>
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
