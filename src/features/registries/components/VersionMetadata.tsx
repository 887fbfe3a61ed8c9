import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const VersionMetadata_Membership = graphql(`
  fragment VersionMetadata_Membership on ArtifactCollectionMembership {
    id
    artifact {
      id
      metadata
    }
  }
`);

function parse(json: string | null | undefined): unknown {
  if (!json) return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

function Value({ value }: { value: unknown }) {
  if (value !== null && typeof value === 'object')
    return (
      <pre className="json" tabIndex={0}>
        {JSON.stringify(value, null, 2)}
      </pre>
    );
  return <code className="mono">{JSON.stringify(value)}</code>;
}

/** The Metadata tab: top-level keys as a table, nested values as indented JSON. */
export function VersionMetadata({ membership }: { membership: FragmentOf<typeof VersionMetadata_Membership> }) {
  const m = readFragment(VersionMetadata_Membership, membership);
  const metadata = parse(m.artifact?.metadata);
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return (
      <pre className="json" tabIndex={0}>
        {JSON.stringify(metadata, null, 2)}
      </pre>
    );
  }
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length === 0) return <p className="muted">This version has no metadata.</p>;
  return (
    <div className="table-wrap">
      <table className="table metadata-table">
        <caption className="visually-hidden">Metadata</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([key, value]) => (
            <tr key={key}>
              <th scope="row" className="mono">
                {key}
              </th>
              <td>
                <Value value={value} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
