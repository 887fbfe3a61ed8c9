import { useMutation } from 'urql';
import { Dialog } from '@/components/Dialog';
import { graphql } from '@/lib/graphql';
import { errorMessage } from '@/lib/errors';

const DeleteCollectionDialog_Delete = graphql(`
  mutation DeleteCollectionDialog_Delete($id: ID!) {
    deleteArtifactPortfolio(input: { artifactPortfolioID: $id }) {
      artifactCollection {
        id
        state
        project {
          id
          collectionCount
          linkedVersionCount
        }
      }
    }
  }
`);

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collection: { id: string; name: string };
}

/** Asks before deleting a collection; the server refuses (and says why) when a protected alias is in it. */
export default function DeleteCollectionDialog({ open, onOpenChange, collection }: Props) {
  const [{ fetching, error }, remove] = useMutation(DeleteCollectionDialog_Delete);
  async function confirm() {
    const result = await remove({ id: collection.id });
    if (!result.error) onOpenChange(false);
  }
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete ${collection.name}?`}
      description="Its linked versions and aliases go with it. The source versions stay in their projects."
    >
      <div className="stack">
        {error && (
          <p className="form-error" role="alert">
            {errorMessage(error)}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Keep it
          </button>
          <button type="button" className="button button--danger" disabled={fetching} onClick={() => void confirm()}>
            {fetching ? 'Deleting…' : 'Delete collection'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
