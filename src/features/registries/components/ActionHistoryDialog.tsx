import { Dialog } from '@/components/Dialog';
import { ActionHistory } from './ActionHistory';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collection: { id: string; name: string };
}

/** A collection's action history, opened from its row on the registry page. */
export default function ActionHistoryDialog({ open, onOpenChange, collection }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Action history of ${collection.name}`}>
      <ActionHistory collectionId={collection.id} />
    </Dialog>
  );
}
