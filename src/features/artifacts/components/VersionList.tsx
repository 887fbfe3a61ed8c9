import { Link } from '@/lib/router';
import { Pager } from '@/components/Pager';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { formatBytes, formatDate } from '@/lib/format';
import { usePageParams } from '@/lib/usePageParams';
import { artifactsPath, runPath } from '../format';

/** Who logged a version: the run (as the SDK records it) or the user. */
export const CreatedBy_Artifact = graphql(`
  fragment CreatedBy_Artifact on Artifact {
    id
    createdBy {
      __typename
      ... on User {
        id
        username
      }
      ... on Run {
        id
        name
        displayName
        project {
          id
          name
          entityName
        }
      }
    }
  }
`);

export function CreatedBy({ artifact }: { artifact: FragmentOf<typeof CreatedBy_Artifact> }) {
  const by = readFragment(CreatedBy_Artifact, artifact).createdBy;
  if (!by) return <span className="muted">unknown</span>;
  if (by.__typename === 'User') return <span>{by.username}</span>;
  // The run that logged the version has a page of its own.
  return by.project ? (
    <Link to={runPath(by.project.entityName, by.project.name, by.name)}>run {by.displayName ?? by.name}</Link>
  ) : (
    <span>run {by.displayName ?? by.name}</span>
  );
}

export const VersionList_ArtifactCollection = graphql(
  `
    fragment VersionList_ArtifactCollection on ArtifactCollection {
      id
      name
      defaultArtifactType {
        id
        name
      }
      project {
        id
        name
        entityName
      }
      artifactMemberships(first: $versionsFirst, after: $versionsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            version
            createdAt
            aliases {
              id
              alias
            }
            artifact {
              id
              size
              ...CreatedBy_Artifact
            }
          }
        }
      }
    }
  `,
  [CreatedBy_Artifact],
);

/** How many versions a page of the list holds. */
export const VERSIONS_PAGE_SIZE = 50;

/** A collection's versions, newest first, a page at a time (the page in the URL), each a link to its overview. */
export function VersionList({ collection }: { collection: FragmentOf<typeof VersionList_ArtifactCollection> }) {
  const c = readFragment(VersionList_ArtifactCollection, collection);
  const pages = usePageParams();
  const { pageInfo, totalCount } = c.artifactMemberships;
  const versions = c.artifactMemberships.edges.map((e) => e.node);
  const entity = c.project?.entityName ?? '';
  const project = c.project?.name ?? '';
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading" className="section-title">
        {c.name}{' '}
        <span className="muted">
          · {c.defaultArtifactType.name} · {totalCount} versions
        </span>
      </h2>
      {versions.length === 0 ? (
        <p className="muted">This collection has no versions.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Versions of {c.name}</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Aliases</th>
                <th scope="col">Size</th>
                <th scope="col">Created</th>
                <th scope="col">Created by</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    <Link to={artifactsPath(entity, project, c.defaultArtifactType.name, c.name, v.version)}>{v.version}</Link>
                  </td>
                  <td>
                    <span className="chips">
                      {v.aliases.map((a) => (
                        <span key={a.id} className="chip">
                          {a.alias}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td className="nowrap">{v.artifact ? formatBytes(v.artifact.size) : ''}</td>
                  <td className="nowrap">{formatDate(v.createdAt)}</td>
                  <td>{v.artifact ? <CreatedBy artifact={v.artifact} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(pages.index > 0 || pageInfo.hasNextPage) && (
        <Pager
          range={`${pages.index * VERSIONS_PAGE_SIZE + 1}–${pages.index * VERSIONS_PAGE_SIZE + versions.length} of ${totalCount}`}
          hasPrevious={pages.index > 0}
          hasNext={pageInfo.hasNextPage}
          onPrevious={pages.previous}
          onNext={() => pages.next(pageInfo.endCursor)}
        />
      )}
    </section>
  );
}
