import { Link } from '@/lib/router';

/**
 * "Not found": also what a page shows for a registry, collection or version the viewer may not see,
 * so a restricted registry's existence is never revealed. A whole page's answer is its h1; inside a page
 * that has its own h1 (the artifact browser's panel), pass `level={2}`.
 */
export function NotFound({ title = 'Page not found', level = 1 }: { title?: string; level?: 1 | 2 }) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div className="state state--empty">
      <Heading className="state__title">{title}</Heading>
      <p>
        Nothing you can see lives at this address. <Link to="/registry">Go to the registries</Link>.
      </p>
    </div>
  );
}

export default function Component() {
  return <NotFound />;
}
