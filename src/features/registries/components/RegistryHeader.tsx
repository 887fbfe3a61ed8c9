import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { ROLE_LABELS, type RegistryRole } from '@/lib/roles';
import { registryPath } from '../names';

export const RegistryHeader_Project = graphql(`
  fragment RegistryHeader_Project on Project {
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
    viewerRole {
      role
      source
      teamName
    }
  }
`);

const SOURCES: Record<string, string> = {
  org_admin: 'as organization admin',
  user: 'given to you',
  organization: 'everyone in the organization',
};

/** A registry's name, description, visibility, accepted types, the viewer's role and its Settings link. */
export function RegistryHeader({ registry }: { registry: FragmentOf<typeof RegistryHeader_Project> }) {
  const r = readFragment(RegistryHeader_Project, registry);
  const restricted = r.access === 'RESTRICTED';
  const role = r.viewerRole?.role as RegistryRole | undefined;
  const source = r.viewerRole
    ? r.viewerRole.source === 'team'
      ? `through team ${r.viewerRole.teamName ?? ''}`
      : SOURCES[r.viewerRole.source]
    : null;
  return (
    <div className="page__header registry-header">
      <nav aria-label="Breadcrumbs" className="breadcrumbs">
        <Link to="/registry">Registry</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{r.displayName}</span>
      </nav>
      <div className="page__header--row">
        <div className="registry-header__title">
          <h1>{r.displayName}</h1>
          <span className={`badge ${restricted ? 'badge--restricted' : ''}`}>{restricted ? 'Restricted' : 'Organization'}</span>
        </div>
        <div className="row">
          <Link className="button" to={`${registryPath(r.name)}/history`}>
            History
          </Link>
          <Link className="button" to={`${registryPath(r.name)}/automations`}>
            Automations
          </Link>
          <Link className="button" to={`${registryPath(r.name)}/settings`}>
            Settings
          </Link>
        </div>
      </div>
      <p className="card__name">{r.name}</p>
      {r.description ? <p className="page__lead">{r.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Accepted types</dt>
          <dd className="chips">
            {r.allowAllArtifactTypesInRegistry ? (
              <span className="chip">All types</span>
            ) : (
              r.artifactTypes.edges.map(({ node }) => (
                <span className="chip" key={node.id}>
                  {node.name}
                </span>
              ))
            )}
          </dd>
        </div>
        {role && (
          <div>
            <dt>Your role</dt>
            <dd>
              <strong>{ROLE_LABELS[role] ?? role}</strong>
              {source ? <span className="muted"> ({source})</span> : null}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
