import { Link } from 'react-router';
import { EmptyState } from './States';

export default function Component() {
  return (
    <main className="page">
      <EmptyState title="Page not found">
        <p>
          Nothing lives at this address. <Link to="/registry">Go to the registries</Link>.
        </p>
      </EmptyState>
    </main>
  );
}
