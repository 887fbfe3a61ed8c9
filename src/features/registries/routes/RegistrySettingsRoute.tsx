import { Link, useParams } from '@/lib/router';
import { useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { ErrorState, Loading } from '@/components/States';
import { graphql } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import { DangerZone, DangerZone_Project } from '../components/settings/DangerZone';
import { DescriptionSection, DescriptionSection_Project } from '../components/settings/DescriptionSection';
import { NameSection, NameSection_Project } from '../components/settings/NameSection';
import { describeRole, MembersSection, MembersSection_Project } from '../components/settings/MembersSection';
import { ProtectedAliasesSection, ProtectedAliasesSection_Project } from '../components/settings/ProtectedAliasesSection';
import { TypesSection, TypesSection_Project } from '../components/settings/TypesSection';
import { VisibilitySection, VisibilitySection_Project } from '../components/settings/VisibilitySection';
import { registryProject } from '../format';
import '../settings.css';

const RegistrySettingsQuery = graphql(
  `
    query RegistrySettings($name: String!) {
      viewer {
        id
        orgRole
        organizations {
          id
          orgEntity {
            id
            project(name: $name) {
              id
              name
              displayName
              viewerRole {
                role
                source
                teamName
              }
              ...NameSection_Project
              ...DescriptionSection_Project
              ...VisibilitySection_Project
              ...TypesSection_Project
              ...MembersSection_Project
              ...ProtectedAliasesSection_Project
              ...DangerZone_Project
            }
          }
        }
      }
    }
  `,
  [
    NameSection_Project,
    DescriptionSection_Project,
    VisibilitySection_Project,
    TypesSection_Project,
    MembersSection_Project,
    ProtectedAliasesSection_Project,
    DangerZone_Project,
  ],
);

/** A registry's settings. Everything here needs the admin role; others read it as it is. */
export default function Component() {
  const { registry: shortName = '' } = useParams();
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: RegistrySettingsQuery,
    variables: { name: registryProject(shortName) },
  });

  if (fetching && !data) return <Loading label="Loading settings…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="The settings could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const project = data?.viewer?.organizations[0]?.orgEntity?.project;
  if (!project) return fetching || stale ? <Loading label="Loading settings…" /> : <NotFound title="Registry not found" />;
  const canEdit = roleAllows(project.viewerRole?.role, 'admin');

  return (
    <div className="settings">
      <div className="page__header">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          <Link to="/registry">Registry</Link>
          <span aria-hidden="true">/</span>
          <Link to={`/registry/${encodeURIComponent(shortName)}`}>{project.displayName}</Link>
          <span aria-hidden="true">/</span>
          <span aria-current="page">Settings</span>
        </nav>
        <h1>{project.displayName} settings</h1>
        <p className="page__lead">
          <span className="mono">{project.name}</span> · Your role: <strong>{describeRole(project.viewerRole)}</strong>
        </p>
        {!canEdit && (
          <p className="panel panel--notice settings__readonly" role="note">
            You can read these settings. Changing them needs the admin role in this registry.
          </p>
        )}
      </div>
      <NameSection key={`name-${project.name}`} registry={project} canEdit={canEdit} />
      <DescriptionSection key={project.id} registry={project} canEdit={canEdit} />
      <VisibilitySection registry={project} canEdit={canEdit} />
      <TypesSection registry={project} canEdit={canEdit} />
      <MembersSection registry={project} canEdit={canEdit} canSearchUsers={data?.viewer?.orgRole === 'admin'} />
      <ProtectedAliasesSection registry={project} canEdit={canEdit} />
      <DangerZone registry={project} shortName={shortName} canEdit={canEdit} />
    </div>
  );
}
