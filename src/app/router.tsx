import { use, type ComponentType } from 'react';
import { matchPath, Navigate, Route, Routes } from 'react-router';
import { AppShell } from '@/components/AppShell';

/**
 * A screen's module, loaded when first visited, or earlier by `preloadRoute`. Once loaded it renders
 * at once: no Suspense fallback, so React never holds the page back to pace a fallback's reveal.
 */
function routeModule(load: () => Promise<{ default: ComponentType }>) {
  let loaded: ComponentType | undefined;
  let loading: Promise<unknown> | undefined;
  const preload = () =>
    (loading ??= load().then((module) => {
      loaded = module.default;
    }));
  function Screen() {
    if (!loaded) use(preload());
    const Loaded = loaded as ComponentType;
    return <Loaded />;
  }
  return { Screen, preload };
}

const screens = {
  login: routeModule(() => import('@/features/auth/routes/LoginRoute')),
  setPassword: routeModule(() => import('@/features/auth/routes/SetPasswordRoute')),
  registryHome: routeModule(() => import('@/features/registries/routes/RegistryHomeRoute')),
  registry: routeModule(() => import('@/features/registries/routes/RegistryRoute')),
  registrySettings: routeModule(() => import('@/features/registries/routes/RegistrySettingsRoute')),
  registryHistory: routeModule(() => import('@/features/registries/routes/RegistryHistoryRoute')),
  collection: routeModule(() => import('@/features/registries/routes/CollectionRoute')),
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
 * Starts loading the screen of `pathname` (main.tsx calls it before the first render, so the screen's
 * code arrives while the viewer is being asked for, not after).
 */
export function preloadRoute(pathname: string): Promise<unknown> {
  if (pathname === '/login') return screens.login.preload();
  if (pathname === '/set-password') return screens.setPassword.preload();
  if (pathname === '/') return screens.registryHome.preload();
  const found = shellRoutes.find(([path]) => matchPath(path, pathname));
  return (found ? screens[found[1]] : screens.notFound).preload();
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
