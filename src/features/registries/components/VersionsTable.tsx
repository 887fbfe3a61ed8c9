import { Link } from '@/lib/router';
import { readFragment, type FragmentOf } from '@/lib/graphql';
import { RelativeTime } from '@/components/RelativeTime';
import { sourceLink, sourceReadable } from '../format';
import { AliasChip } from './AliasChip';
import { VersionActions, type VersionActionsContext } from './VersionActions';
import { VersionRow_Membership } from './VersionRowFragment';

export { VersionRow_Membership };

function VersionRow({ membership, context }: { membership: FragmentOf<typeof VersionRow_Membership>; context: VersionActionsContext }) {
  const m = readFragment(VersionRow_Membership, membership);
  const sequence = m.artifact?.artifactSequence;
  const source =
    m.artifact && sequence?.project
      ? sourceLink({
          entityName: sequence.project.entityName,
          projectName: sequence.project.name,
          type: m.artifact.artifactType.name,
          name: sequence.name,
          versionIndex: m.artifact.versionIndex,
        })
      : null;
  return (
    <tr>
      <th scope="row">
        <Link to={`${context.basePath}/${encodeURIComponent(m.version)}`}>{m.version}</Link>
      </th>
      <td>
        {m.aliases.length > 0 ? (
          <ul className="chips" aria-label={`Aliases of ${m.version}`}>
            {m.aliases.map((a) => (
              <li key={a.id}>
                <AliasChip alias={a.alias} isProtected={context.protectedAliases.includes(a.alias)} />
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {m.artifact && m.artifact.tags.length > 0 ? (
          <ul className="chips" aria-label={`Tags of ${m.version}`}>
            {m.artifact.tags.map((t) => (
              <li key={t.id} className="chip chip--tag">
                {t.name}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="versions__source">
        {!source ? (
          <span className="muted">Unavailable</span>
        ) : m.artifact && sourceReadable(m.artifact) ? (
          <Link to={source.href}>{source.label}</Link>
        ) : (
          <span>{source.label}</span>
        )}
      </td>
      <td>{m.linkedBy?.username ?? <span className="muted">Unknown</span>}</td>
      <td className="nowrap">
        <RelativeTime iso={m.createdAt} />
      </td>
      <td className="cell-actions">
        <VersionActions version={m} context={context} />
      </td>
    </tr>
  );
}

interface Props {
  memberships: readonly ({ id: string } & FragmentOf<typeof VersionRow_Membership>)[];
  context: VersionActionsContext;
}

/** The collection's linked versions, in the order the page asked for. */
export function VersionsTable({ memberships, context }: Props) {
  return (
    <div className="table-wrap">
      <table className="table table--actions versions">
        <caption className="visually-hidden">Versions of {context.collection.name}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Aliases</th>
            <th scope="col">Tags</th>
            <th scope="col">Source version</th>
            <th scope="col">Linked by</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {memberships.map((m) => (
            <VersionRow key={m.id} membership={m} context={context} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
