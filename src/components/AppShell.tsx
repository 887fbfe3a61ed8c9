import { Suspense } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation } from '@/lib/router';
import { useQuery } from 'urql';
import { graphql } from '@/lib/graphql';
import { ErrorState, Loading } from './States';
import { UserMenu, UserMenu_User } from './UserMenu';

/** Who is signed in; main.tsx asks it before the first render, alongside the first screen's code. */
export const AppShellQuery = graphql(
  `
    query AppShell {
      viewer {
        id
        organizations {
          id
          name
        }
        ...UserMenu_User
      }
    }
  `,
  [UserMenu_User],
);

/** The frame of every signed-in page: organization, navigation, user menu. */
export function AppShell() {
  const location = useLocation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AppShellQuery });

  if (fetching && !data) return <Loading />;
  if (error && !data) {
    return (
      <main className="page">
        <ErrorState title="Registry is unreachable" message={error.message} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      </main>
    );
  }
  const viewer = data?.viewer;
  if (!viewer) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const org = viewer.organizations[0];

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/registry" className="brand" aria-label="Registry home">
          <span className="brand__mark" aria-hidden="true">
            R
          </span>
          <span className="brand__org">{org?.name ?? 'Registry'}</span>
        </Link>
        <nav aria-label="Main" className="topnav">
          <NavLink to="/registry">Registry</NavLink>
          <NavLink to="/projects">Projects</NavLink>
        </nav>
        <UserMenu user={viewer} />
      </header>
      <main id="main" className="page">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
