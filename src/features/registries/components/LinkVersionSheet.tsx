// Placeholder: the "Link new version" sheet is being built; its props are final.
export interface LinkVersionSheetProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The registry's short name (without `wandb-registry-`). */
  registry: string;
  /** The target collection. */
  collection: { id: string; name: string; type: string };
}

export function LinkVersionSheet(props: LinkVersionSheetProps) {
  return props.open ? <p>{props.collection.name}</p> : null;
}
