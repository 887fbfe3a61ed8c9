import { lazy, Suspense, useState } from 'react';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { formatBytes, formatDate } from '@/lib/format';
import { FileList, FileList_Artifact } from './FileList';
import { LinkedTo, LinkedTo_Artifact, registryLinks } from './LinkedTo';
import { CreatedBy, CreatedBy_Artifact } from './VersionList';

const LinkToRegistryDialog = lazy(() => import('./LinkToRegistryDialog'));

export const VersionOverview_Artifact = graphql(
  `
    fragment VersionOverview_Artifact on Artifact {
      id
      digest
      size
      fileCount
      description
      metadata
      createdAt
      versionIndex
      tags {
        id
        name
      }
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
      aliases {
        id
        alias
        artifactCollection {
          id
        }
      }
      ...CreatedBy_Artifact
      ...FileList_Artifact
      ...LinkedTo_Artifact
    }
  `,
  [CreatedBy_Artifact, FileList_Artifact, LinkedTo_Artifact],
);

function prettyMetadata(text: string | null): string | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && Object.keys(value).length === 0) return null;
    return JSON.stringify(value, null, 2);
  } catch {
    return text;
  }
}

interface Props {
  artifact: FragmentOf<typeof VersionOverview_Artifact>;
  /** Whether the viewer may link into some registry, and why not. */
  linkGate: { allowed: boolean; reason: string };
  /** The organization entity that owns the registries. */
  orgEntityName: string;
}

/** The "Version overview" of a logged version: what it is, its files, where it is linked. */
export function VersionOverview({ artifact, linkGate, orgEntityName }: Props) {
  const a = readFragment(VersionOverview_Artifact, artifact);
  const [linking, setLinking] = useState(false);
  const project = a.artifactSequence.project;
  const fullName = `${project?.entityName ?? ''}/${project?.name ?? ''}/${a.artifactSequence.name}:v${a.versionIndex ?? ''}`;
  const ownAliases = a.aliases.filter((x) => x.artifactCollection?.id === a.artifactSequence.id).map((x) => x.alias);
  const metadata = prettyMetadata(a.metadata);

  return (
    <section className="overview" aria-labelledby="overview-heading">
      <div className="overview__header">
        <div>
          <h2 id="overview-heading" className="section-title">
            Version overview
          </h2>
          <p className="mono overview__name">{fullName}</p>
        </div>
        <Gated allowed={linkGate.allowed} reason={linkGate.reason}>
          {(gate) => (
            <button type="button" className="button button--primary" onClick={() => setLinking(true)} {...gate}>
              Link to registry
            </button>
          )}
        </Gated>
      </div>
      <dl className="facts">
        <div>
          <dt>Full name</dt>
          <dd className="mono">{fullName}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{a.artifactType.name}</dd>
        </div>
        <div>
          <dt>Digest</dt>
          <dd className="mono">{a.digest}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(a.size)}</dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>{a.fileCount}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            {formatDate(a.createdAt)} by <CreatedBy artifact={a} />
          </dd>
        </div>
        <div>
          <dt>Aliases</dt>
          <dd>
            {ownAliases.length ? (
              <span className="chips">
                {ownAliases.map((alias) => (
                  <span key={alias} className="chip">
                    {alias}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Tags</dt>
          <dd>
            {a.tags.length ? (
              <span className="chips">
                {a.tags.map((tag) => (
                  <span key={tag.id} className="chip">
                    {tag.name}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="description-heading" className="overview__section">
        <h3 id="description-heading">Description</h3>
        {a.description ? <p className="overview__description">{a.description}</p> : <p className="muted">No description.</p>}
      </section>
      <section aria-labelledby="metadata-heading" className="overview__section">
        <h3 id="metadata-heading">Metadata</h3>
        {metadata ? (
          <pre className="code-block" tabIndex={0} aria-label="Metadata (JSON)">
            {metadata}
          </pre>
        ) : (
          <p className="muted">No metadata.</p>
        )}
      </section>
      <LinkedTo artifact={a} />
      <FileList artifact={a} />
      {linking && (
        <Suspense fallback={null}>
          <LinkToRegistryDialog
            open={linking}
            onOpenChange={setLinking}
            version={{ id: a.id, type: a.artifactType.name, fullName, links: registryLinks(a) }}
            orgEntityName={orgEntityName}
          />
        </Suspense>
      )}
    </section>
  );
}
