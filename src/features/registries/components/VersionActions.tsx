import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { lazy, Suspense, useState } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';
import { roleAllows, type RegistryRole } from '@/lib/roles';
import { VersionRow_Membership } from './VersionRowFragment';
import { landmark } from '@/components/landmark';

const AddAliasDialog = lazy(() => import('./VersionDialogs').then((m) => ({ default: m.AddAliasDialog })));
const UnlinkDialog = lazy(() => import('./VersionDialogs').then((m) => ({ default: m.UnlinkDialog })));

/** What every row's actions need to know about the collection and the viewer. */
export interface VersionActionsContext {
  /** `/registry/<registry>/<collection>`: the versions' pages are below it. */
  basePath: string;
  /** The organization entity and the registry's project name, which alias mutations name. */
  entityName: string;
  projectName: string;
  collection: { id: string; name: string };
  protectedAliases: readonly string[];
  role: RegistryRole | null;
  /** Which version ("v3") holds each alias, among the versions loaded. */
  holders: ReadonlyMap<string, string>;
}

export interface VersionSummary {
  version: string;
  aliases: readonly { id: string; alias: string }[];
  artifact: { id: string } | null;
}

export const VersionActions_RemoveAlias = graphql(
  `
    mutation VersionActions_RemoveAlias($input: DeleteAliasesInput!) {
      deleteAliases(input: $input) {
        artifactMemberships {
          id
          ...VersionRow_Membership
          artifactCollection {
            id
          }
        }
      }
    }
  `,
  [VersionRow_Membership],
);

/** The ⋯ menu of a version: add or remove aliases, unlink. Members and above; protected aliases need admin. */
export function VersionActions({ version, context }: { version: VersionSummary; context: VersionActionsContext }) {
  const [dialog, setDialog] = useState<'alias' | 'unlink' | null>(null);
  const [removal, removeAlias] = useMutation(VersionActions_RemoveAlias);
  const member = roleAllows(context.role, 'member');
  const admin = roleAllows(context.role, 'admin');
  if (!member || !version.artifact) return null;
  const artifactID = version.artifact.id;
  const removable = version.aliases.filter((a) => a.alias !== 'latest');
  // The server refuses to unlink a version holding a protected alias unless the viewer is a registry admin.
  const heldProtected = version.aliases.find((a) => context.protectedAliases.includes(a.alias));
  const unlinkLocked = Boolean(heldProtected) && !admin;

  return (
    <>
      {/* Not modal: a modal menu hides the page with aria-hidden while focus may still be on it. */}
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger className="icon-button" aria-label={`More actions for ${version.version}`}>
          <span aria-hidden="true">⋯</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal container={landmark('main')}>
          <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
            <DropdownMenu.Item className="menu__item" onSelect={() => setDialog('alias')}>
              Add alias
            </DropdownMenu.Item>
            {removable.map((a) => {
              const locked = context.protectedAliases.includes(a.alias) && !admin;
              return (
                <DropdownMenu.Item
                  key={a.id}
                  className="menu__item"
                  disabled={locked || removal.fetching}
                  onSelect={() =>
                    void removeAlias({
                      input: {
                        artifactID,
                        aliases: [
                          {
                            alias: a.alias,
                            artifactCollectionName: context.collection.name,
                            entityName: context.entityName,
                            projectName: context.projectName,
                          },
                        ],
                      },
                    })
                  }
                >
                  Remove alias “{a.alias}”{locked ? ' (registry admins only)' : ''}
                </DropdownMenu.Item>
              );
            })}
            <DropdownMenu.Separator className="menu__separator" />
            <DropdownMenu.Item className="menu__item menu__item--danger" disabled={unlinkLocked} onSelect={() => setDialog('unlink')}>
              {unlinkLocked ? `Unlink (holds protected alias “${heldProtected?.alias}”: registry admins only)` : 'Unlink…'}
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {removal.error && (
        <p className="form-error" role="alert">
          {errorMessage(removal.error)}
        </p>
      )}
      <Suspense fallback={null}>
        {dialog === 'alias' && <AddAliasDialog version={version} context={context} onClose={() => setDialog(null)} />}
        {dialog === 'unlink' && <UnlinkDialog version={version} context={context} onClose={() => setDialog(null)} />}
      </Suspense>
    </>
  );
}
