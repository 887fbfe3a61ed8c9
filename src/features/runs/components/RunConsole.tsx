import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const RunConsole_Run = graphql(`
  fragment RunConsole_Run on Run {
    id
    logLineCount
    logLines(first: 200, after: $after) {
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          number
          line
        }
      }
    }
  }
`);

/** The run's console output (output.log), 200 lines at a time. */
export function RunConsole({ run, onMore }: { run: FragmentOf<typeof RunConsole_Run>; onMore: (after: string) => void }) {
  const r = readFragment(RunConsole_Run, run);
  const lines = r.logLines.edges.map((e) => e.node);
  const { endCursor, hasNextPage } = r.logLines.pageInfo;
  return (
    <section aria-labelledby="console-heading" className="run-section">
      <h3 id="console-heading">
        Console output <span className="muted">({r.logLineCount} lines)</span>
      </h3>
      {lines.length === 0 ? (
        <p className="muted">No console output.</p>
      ) : (
        <pre className="run-console" tabIndex={0} aria-label="Console output">
          {lines.map((l) => `${l.line}\n`).join('')}
        </pre>
      )}
      {hasNextPage && endCursor && (
        <button type="button" className="button button--small run-console__more" onClick={() => onMore(endCursor)}>
          Show more output
        </button>
      )}
    </section>
  );
}
