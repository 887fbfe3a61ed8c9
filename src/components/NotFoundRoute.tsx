import { Link } from 'react-router';
import { EmptyState } from './States';

/**
 * "Not found": also what a page shows for a registry, collection or version the viewer may not see,
 * so a restricted registry's existence is never revealed.
 */
export function NotFound({ title = 'Page not found' }: { title?: string }) {
  return (
    <EmptyState title={title}>
      <p>
        Nothing you can see lives at this address. <Link to="/registry">Go to the registries</Link>.
      </p>
    </EmptyState>
  );
}

export default function Component() {
  return <NotFound />;
}
