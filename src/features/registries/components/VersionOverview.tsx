import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { formatBytes, formatDate } from '@/lib/format';
import { sourceLink, sourceReadable } from '../format';
import { AliasChip } from './AliasChip';
import { CopyButton } from './CopyButton';
import { VersionTags, VersionTags_Artifact } from './VersionTags';

export const VersionOverview_Membership = graphql(
  `
    fragment VersionOverview_Membership on ArtifactCollectionMembership {
      id
      version
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
        versionIndex
        description
        digest
        size
        createdAt
        ...VersionTags_Artifact
        artifactType {
          id
          name
        }
        artifactSequence {
          id
          name
          project {
            id
            name
            entityName
          }
        }
        # The collections of the version the viewer can see: its own sequence is among them only when the
        # viewer can read the source project (see sourceReadable).
        artifactMemberships {
          edges {
            node {
              id
              artifactCollection {
                __typename
                id
              }
            }
          }
        }
      }
    }
  `,
  [VersionTags_Artifact],
);

interface Props {
  membership: FragmentOf<typeof VersionOverview_Membership>;
  fullName: string;
  protectedAliases: readonly string[];
  /** Why the viewer may not add or remove tags; null when they may. */
  tagsReadOnlyReason: string | null;
}

/** The Version tab: its full name to copy, aliases, tags, description, source and who linked it when. */
export function VersionOverview({ membership, fullName, protectedAliases, tagsReadOnlyReason }: Props) {
  const m = readFragment(VersionOverview_Membership, membership);
  const a = m.artifact;
  const source =
    a?.artifactSequence.project &&
    sourceLink({
      entityName: a.artifactSequence.project.entityName,
      projectName: a.artifactSequence.project.name,
      type: a.artifactType.name,
      name: a.artifactSequence.name,
      versionIndex: a.versionIndex,
    });
  return (
    <dl className="details">
      <div className="details__row">
        <dt>Full name</dt>
        <dd className="row">
          <code className="mono" data-testid="full-name">
            {fullName}
          </code>
          <CopyButton text={fullName} label="Copy full name" />
        </dd>
      </div>
      <div className="details__row">
        <dt>Aliases</dt>
        <dd>
          {m.aliases.length ? (
            <ul className="chips" aria-label="Aliases">
              {m.aliases.map((alias) => (
                <li key={alias.id}>
                  <AliasChip alias={alias.alias} isProtected={protectedAliases.includes(alias.alias)} />
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
      </div>
      <div className="details__row">
        <dt>Tags</dt>
        <dd>{a ? <VersionTags artifact={a} readOnlyReason={tagsReadOnlyReason} /> : <span className="muted">None</span>}</dd>
      </div>
      <div className="details__row">
        <dt>Description</dt>
        <dd className="details__text">{a?.description || <span className="muted">No description</span>}</dd>
      </div>
      <div className="details__row">
        <dt>Source version</dt>
        <dd>
          {!source ? (
            <span className="muted">Unavailable</span>
          ) : sourceReadable(a) ? (
            <Link to={source.href}>{source.label}</Link>
          ) : (
            <span className="mono">{source.label}</span>
          )}
        </dd>
      </div>
      <div className="details__row">
        <dt>Linked by</dt>
        <dd>
          {m.linkedBy?.username ?? <span className="muted">Unknown</span>} on <time dateTime={m.createdAt}>{formatDate(m.createdAt)}</time>
        </dd>
      </div>
      {a && (
        <>
          <div className="details__row">
            <dt>Logged</dt>
            <dd>
              <time dateTime={a.createdAt}>{formatDate(a.createdAt)}</time>
            </dd>
          </div>
          <div className="details__row">
            <dt>Size</dt>
            <dd>{formatBytes(a.size)}</dd>
          </div>
          <div className="details__row">
            <dt>Digest</dt>
            <dd>
              <code className="mono">{a.digest}</code>
            </dd>
          </div>
        </>
      )}
    </dl>
  );
}
