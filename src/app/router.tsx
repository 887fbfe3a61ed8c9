import { use, type ComponentType } from 'react';
import { matchPath, Navigate, Route, Routes, useParams, useSearchParams, type Params } from '@/lib/router';
import { useClient, type Client } from 'urql';
import { AppShell } from '@/components/AppShell';
import type { StartableQuery } from '@/lib/routeQuery';

/** A screen's page query module (see `routeQuery`), loaded beside the screen's own code. */
type QueryModule = () => Promise<StartableQuery>;

/**
 * A screen's module, loaded when first visited, or earlier by `preloadRoute`. Once loaded it renders
 * at once: no Suspense fallback, so React never holds the page back to pace a fallback's reveal.
 * `query`, when given, is the screen's page query: it is sent as soon as its small module arrives,
 * so the data and the screen's code travel together instead of one after the other.
 */
function routeModule(load: () => Promise<{ default: ComponentType }>, query?: QueryModule) {
  let loaded: ComponentType | undefined;
  let loading: Promise<unknown> | undefined;
  const preload = () =>
    (loading ??= load().then((module) => {
      loaded = module.default;
    }));
  const prefetch = (client: Client, params: Readonly<Params>, search: URLSearchParams) => {
    void query?.().then(
      (found) => found.start(client, params, search),
      // The screen asks again itself and shows what went wrong.
      () => undefined,
    );
  };
  function Screen() {
    const client = useClient();
    const params = useParams();
    const [search] = useSearchParams();
    if (!loaded) {
      // First visit within the app: the query goes out while the code loads.
      prefetch(client, params, search);
      use(preload());
    }
    const Loaded = loaded as ComponentType;
    return <Loaded />;
  }
  return { Screen, preload, prefetch };
}

const screens = {
  login: routeModule(() => import('@/features/auth/routes/LoginRoute')),
  setPassword: routeModule(() => import('@/features/auth/routes/SetPasswordRoute')),
  registryHome: routeModule(
    () => import('@/features/registries/routes/RegistryHomeRoute'),
    () => import('@/features/registries/routes/RegistryHomeRoute.query').then((m) => m.registryHomeQuery),
  ),
  registry: routeModule(
    () => import('@/features/registries/routes/RegistryRoute'),
    () => import('@/features/registries/routes/RegistryRoute.query').then((m) => m.registryPageQuery),
  ),
  registrySettings: routeModule(() => import('@/features/registries/routes/RegistrySettingsRoute')),
  registryHistory: routeModule(() => import('@/features/registries/routes/RegistryHistoryRoute')),
  collection: routeModule(
    // The model card's Markdown renderer comes with the page, not after its data.
    () =>
      Promise.all([import('@/features/registries/routes/CollectionRoute'), import('@/features/registries/components/Markdown')]).then(
        ([screen]) => screen,
      ),
    () => import('@/features/registries/routes/CollectionRoute.query').then((m) => m.collectionPageQuery),
  ),
  version: routeModule(() => import('@/features/registries/routes/VersionRoute')),
  projects: routeModule(() => import('@/features/artifacts/routes/ProjectsRoute')),
  artifactBrowser: routeModule(() => import('@/features/artifacts/routes/ArtifactBrowserRoute')),
  run: routeModule(() => import('@/features/runs/routes/RunRoute')),
  apiKeys: routeModule(() => import('@/features/api-keys/routes/ApiKeysRoute')),
  users: routeModule(() => import('@/features/users/routes/UsersRoute')),
  teams: routeModule(() => import('@/features/teams/routes/TeamsRoute')),
  teamSettings: routeModule(() => import('@/features/teams/routes/TeamSettingsRoute')),
  registryAutomations: routeModule(() => import('@/features/automations/routes/RegistryAutomationsRoute')),
  notFound: routeModule(() => import('@/components/NotFoundRoute')),
};

/** The signed-in screens by path, most specific first as the router ranks them (`preloadRoute` picks the first match). */
const shellRoutes: [path: string, screen: keyof typeof screens][] = [
  ['/registry', 'registryHome'],
  ['/registry/:registry/settings', 'registrySettings'],
  ['/registry/:registry/history', 'registryHistory'],
  ['/registry/:registry/automations', 'registryAutomations'],
  ['/registry/:registry', 'registry'],
  ['/registry/:registry/:collection', 'collection'],
  ['/registry/:registry/:collection/:version', 'version'],
  ['/projects', 'projects'],
  // The browser's own screen reads the optional type, collection and version from the URL.
  ['/:entity/:project/artifacts/:type?/:name?/:version?', 'artifactBrowser'],
  ['/:entity/:project/runs/:run', 'run'],
  ['/settings/api-keys', 'apiKeys'],
  ['/settings/users', 'users'],
  ['/settings/teams', 'teams'],
  ['/settings/teams/:team', 'teamSettings'],
];

/**
 * Starts loading the screen of an address and, signed in, its page query (main.tsx calls it before the
 * first render, so the screen's code and its data arrive while the viewer is being asked for).
 */
export function preloadRoute(location: { pathname: string; search: string }, client: Client | null): Promise<unknown> {
  const { pathname } = location;
  if (pathname === '/login') return screens.login.preload();
  if (pathname === '/set-password') return screens.setPassword.preload();
  const search = new URLSearchParams(location.search);
  const found = pathname === '/' ? (['/', 'registryHome'] as const) : shellRoutes.find(([path]) => matchPath(path, pathname));
  if (!found) return screens.notFound.preload();
  const screen = screens[found[1]];
  if (client) screen.prefetch(client, matchPath(found[0], pathname)?.params ?? {}, search);
  return screen.preload();
}

export function AppRoutes() {
  const { Screen: LoginScreen } = screens.login;
  const { Screen: SetPasswordScreen } = screens.setPassword;
  const { Screen: NotFoundScreen } = screens.notFound;
  return (
    <Routes>
      <Route path="/login" element={<LoginScreen />} />
      {/* Signed out too: a one-time link from an org admin. */}
      <Route path="/set-password" element={<SetPasswordScreen />} />
      <Route element={<AppShell />}>
        <Route index element={<Navigate to="/registry" replace />} />
        {shellRoutes.map(([path, screen]) => {
          const { Screen } = screens[screen];
          return <Route key={path} path={path} element={<Screen />} />;
        })}
        <Route path="*" element={<NotFoundScreen />} />
      </Route>
    </Routes>
  );
}
