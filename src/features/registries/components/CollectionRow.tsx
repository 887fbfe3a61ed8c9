import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { fullDate, timeAgo } from '../names';
import { landmark } from '@/components/landmark';

export const CollectionRow_ArtifactPortfolio = graphql(`
  fragment CollectionRow_ArtifactPortfolio on ArtifactPortfolio {
    id
    name
    createdAt
    updatedAt
    defaultArtifactType {
      id
      name
    }
    tags {
      edges {
        node {
          id
          name
        }
      }
    }
    versionCount
    latestVersion {
      id
      version
      createdAt
    }
  }
`);

export type RowAction = 'link' | 'history' | 'delete';

interface Props {
  collection: FragmentOf<typeof CollectionRow_ArtifactPortfolio>;
  /** `/registry/<name>`: rows link below it. */
  basePath: string;
  /** Why the viewer may not change the collection (link, delete), or null when they may. */
  denied: string | null;
  onAction: (action: RowAction, collection: { id: string; name: string; type: string }) => void;
}

/** The newer of the collection's own edit and its latest link: what "updated" means to a person. */
function lastChange(c: { updatedAt: string | null; createdAt: string; latestVersion: { createdAt: string } | null }): string {
  const dates = [c.updatedAt ?? c.createdAt, c.latestVersion?.createdAt].filter((d): d is string => Boolean(d));
  return dates.reduce((a, b) => (new Date(a) > new Date(b) ? a : b));
}

/** One collection of a registry: name, type, tags, latest version, number of versions, updated, actions. */
export function CollectionRow({ collection, basePath, denied, onAction }: Props) {
  const c = readFragment(CollectionRow_ArtifactPortfolio, collection);
  const path = `${basePath}/${encodeURIComponent(c.name)}`;
  const target = { id: c.id, name: c.name, type: c.defaultArtifactType.name };
  const updated = lastChange(c);
  return (
    <tr>
      <th scope="row">
        <Link to={path}>{c.name}</Link>
      </th>
      <td>
        <span className="chip">{c.defaultArtifactType.name}</span>
      </td>
      <td>
        <span className="chips">
          {c.tags.edges.length === 0 ? (
            <span className="muted">—</span>
          ) : (
            c.tags.edges.map(({ node }) => (
              <span className="chip chip--tag" key={node.id}>
                {node.name}
              </span>
            ))
          )}
        </span>
      </td>
      <td className="mono">{c.latestVersion ? c.latestVersion.version : <span className="muted">none</span>}</td>
      <td className="num">{c.versionCount}</td>
      <td>
        <time dateTime={updated} title={fullDate(updated)}>
          {timeAgo(updated)}
        </time>
      </td>
      <td>
        <div className="table__actions">
          <Link to={path} className="button button--small" aria-label={`View details of ${c.name}`}>
            View details
          </Link>
          {/* Not modal: a modal menu hides the page with aria-hidden while its links stay focusable. */}
          <DropdownMenu.Root modal={false}>
            <DropdownMenu.Trigger className="icon-button" aria-label={`More actions for ${c.name}`}>
              <span aria-hidden="true">⋯</span>
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal container={landmark('main')}>
              <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
                <DropdownMenu.Item className="menu__item" disabled={denied !== null} onSelect={() => onAction('link', target)}>
                  Link new version
                  {denied && <span className="menu__hint">{denied}</span>}
                </DropdownMenu.Item>
                <DropdownMenu.Item className="menu__item" onSelect={() => onAction('history', target)}>
                  Action history
                </DropdownMenu.Item>
                <DropdownMenu.Separator className="menu__separator" />
                <DropdownMenu.Item
                  className="menu__item menu__item--danger"
                  disabled={denied !== null}
                  onSelect={() => onAction('delete', target)}
                >
                  Delete
                  {denied && <span className="menu__hint">{denied}</span>}
                </DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </div>
      </td>
    </tr>
  );
}
