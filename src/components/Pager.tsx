interface Props {
  /** What the page shows, e.g. "21–40 of 52". */
  range: string;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

/** Previous and Next under a paged list, with what the page shows. */
export function Pager({ range, hasPrevious, hasNext, onPrevious, onNext }: Props) {
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted">{range}</span>
      <span className="row">
        <button type="button" className="button button--small" disabled={!hasPrevious} onClick={onPrevious}>
          Previous
        </button>
        <button type="button" className="button button--small" disabled={!hasNext} onClick={onNext}>
          Next
        </button>
      </span>
    </nav>
  );
}
