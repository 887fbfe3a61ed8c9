import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { registryShortName } from '@/lib/format';

/**
 * Every collection a version is in. The link mutation selects this same fragment on the version it
 * returns, so a new link shows here from the mutation's answer, without a refetch.
 */
export const LinkedTo_Artifact = graphql(`
  fragment LinkedTo_Artifact on Artifact {
    id
    artifactMemberships(first: 100) {
      edges {
        node {
          id
          versionIndex
          aliases {
            id
            alias
          }
          artifactCollection {
            __typename
            id
            name
            project {
              id
              name
              displayName
            }
          }
        }
      }
    }
  }
`);

export interface RegistryLink {
  membershipId: string;
  collectionId: string;
  collection: string;
  /** Short registry name, as in `/registry/<registry>`. */
  registry: string;
  registryDisplayName: string;
  versionIndex: number;
  aliases: string[];
}

/** The registry collections (portfolios) a version is linked into, with its vN in each. */
export function registryLinks(artifact: FragmentOf<typeof LinkedTo_Artifact>): RegistryLink[] {
  const a = readFragment(LinkedTo_Artifact, artifact);
  const links: RegistryLink[] = [];
  for (const { node } of a.artifactMemberships.edges) {
    const c = node.artifactCollection;
    if (c?.__typename !== 'ArtifactPortfolio' || !c.project || node.versionIndex === null) continue;
    links.push({
      membershipId: node.id,
      collectionId: c.id,
      collection: c.name,
      registry: registryShortName(c.project.name),
      registryDisplayName: c.project.displayName,
      versionIndex: node.versionIndex,
      aliases: node.aliases.map((x) => x.alias),
    });
  }
  return links;
}

export const linkedVersionPath = (link: Pick<RegistryLink, 'registry' | 'collection' | 'versionIndex'>) =>
  `/registry/${encodeURIComponent(link.registry)}/${encodeURIComponent(link.collection)}/v${link.versionIndex}`;

export function LinkedTo({ artifact }: { artifact: FragmentOf<typeof LinkedTo_Artifact> }) {
  const links = registryLinks(artifact);
  return (
    <section aria-labelledby="linked-to-heading" className="overview__section">
      <h3 id="linked-to-heading">Linked to</h3>
      {links.length === 0 ? (
        <p className="muted">Not linked to any registry you can see.</p>
      ) : (
        <ul className="linked-list" aria-label="Linked to">
          {links.map((link) => (
            <li key={link.membershipId}>
              <Link to={linkedVersionPath(link)}>
                {link.registryDisplayName} / {link.collection}:v{link.versionIndex}
              </Link>
              {link.aliases.length > 0 && (
                <span className="chips">
                  {link.aliases.map((alias) => (
                    <span key={alias} className="chip">
                      {alias}
                    </span>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
