import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { AliasesField, checkAliases, splitAliases } from '@/components/AliasesField';
import { Dialog } from '@/components/Dialog';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import type { VersionActionsContext, VersionSummary } from './VersionActions';
import { VersionRow_Membership } from './VersionRowFragment';

const VersionDialogs_AddAliases = graphql(
  `
    mutation VersionDialogs_AddAliases($input: AddAliasesInput!) {
      addAliases(input: $input) {
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

const VersionDialogs_Unlink = graphql(
  `
    mutation VersionDialogs_Unlink($input: UnlinkArtifactInput!) {
      unlinkArtifact(input: $input) {
        artifactMemberships {
          id
          ...VersionRow_Membership
        }
      }
    }
  `,
  [VersionRow_Membership],
);

interface Props {
  version: VersionSummary;
  context: VersionActionsContext;
  onClose: () => void;
}

/** Adds aliases to a version: warns before an alias moves, refuses protected ones for non-admins. */
export function AddAliasDialog({ version, context, onClose }: Props) {
  const [text, setText] = useState('');
  const [result, addAliases] = useMutation(VersionDialogs_AddAliases);
  const aliases = splitAliases(text);
  const check = checkAliases(aliases, {
    holders: context.holders,
    protectedAliases: context.protectedAliases,
    mayUseProtected: roleAllows(context.role, 'admin'),
    self: version.version,
    linking: false,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!version.artifact || aliases.length === 0 || check.errors.length > 0) return;
    const res = await addAliases({
      input: {
        artifactID: version.artifact.id,
        aliases: aliases.map((alias) => ({
          alias,
          artifactCollectionName: context.collection.name,
          entityName: context.entityName,
          projectName: context.projectName,
        })),
      },
    });
    if (!res.error) onClose();
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Add alias to ${version.version}`}>
      <form className="stack" onSubmit={submit}>
        <AliasesField value={text} onChange={setText} check={check} label="Aliases" />
        {result.error && (
          <p className="form-error" role="alert">
            {errorMessage(result.error)}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={result.fetching || aliases.length === 0 || check.errors.length > 0}
          >
            {check.warnings.some((w) => w.includes('will move')) ? 'Move alias' : 'Add alias'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Asks before unlinking; the server refuses non-admins when a protected alias is on the version. */
export function UnlinkDialog({ version, context, onClose }: Props) {
  const [result, unlink] = useMutation(VersionDialogs_Unlink);

  async function confirm() {
    if (!version.artifact) return;
    const res = await unlink({ input: { artifactID: version.artifact.id, artifactPortfolioID: context.collection.id } });
    if (!res.error) onClose();
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Unlink ${version.version}?`}
      description={
        <>
          {version.version} leaves <strong>{context.collection.name}</strong> with its aliases. The source version stays in its project.
        </>
      }
    >
      <div className="stack">
        {result.error && (
          <p className="form-error" role="alert">
            {errorMessage(result.error)}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--danger" disabled={result.fetching} onClick={() => void confirm()}>
            Unlink {version.version}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
