import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppShell } from '@/components/AppShell';

// Each screen is a route module, loaded when first visited.
const LoginRoute = lazy(() => import('@/features/auth/routes/LoginRoute'));
const SetPasswordRoute = lazy(() => import('@/features/auth/routes/SetPasswordRoute'));
const RegistryHomeRoute = lazy(() => import('@/features/registries/routes/RegistryHomeRoute'));
const RegistryRoute = lazy(() => import('@/features/registries/routes/RegistryRoute'));
const RegistryHistoryRoute = lazy(() => import('@/features/registries/routes/RegistryHistoryRoute'));
const RegistrySettingsRoute = lazy(() => import('@/features/registries/routes/RegistrySettingsRoute'));
const CollectionRoute = lazy(() => import('@/features/registries/routes/CollectionRoute'));
const VersionRoute = lazy(() => import('@/features/registries/routes/VersionRoute'));
const ProjectsRoute = lazy(() => import('@/features/artifacts/routes/ProjectsRoute'));
const ArtifactBrowserRoute = lazy(() => import('@/features/artifacts/routes/ArtifactBrowserRoute'));
const RunRoute = lazy(() => import('@/features/runs/routes/RunRoute'));
const ApiKeysRoute = lazy(() => import('@/features/api-keys/routes/ApiKeysRoute'));
const UsersRoute = lazy(() => import('@/features/users/routes/UsersRoute'));
const NotFoundRoute = lazy(() => import('@/components/NotFoundRoute'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      {/* Signed out too: a one-time link from an org admin. */}
      <Route path="/set-password" element={<SetPasswordRoute />} />
      <Route element={<AppShell />}>
        <Route index element={<Navigate to="/registry" replace />} />
        <Route path="/registry" element={<RegistryHomeRoute />} />
        <Route path="/registry/:registry" element={<RegistryRoute />} />
        <Route path="/registry/:registry/settings" element={<RegistrySettingsRoute />} />
        <Route path="/registry/:registry/history" element={<RegistryHistoryRoute />} />
        <Route path="/registry/:registry/:collection" element={<CollectionRoute />} />
        <Route path="/registry/:registry/:collection/:version" element={<VersionRoute />} />
        <Route path="/projects" element={<ProjectsRoute />} />
        {/* The browser's own screen reads the optional type, collection and version from the URL. */}
        <Route path="/:entity/:project/artifacts/:type?/:name?/:version?" element={<ArtifactBrowserRoute />} />
        <Route path="/:entity/:project/runs/:run" element={<RunRoute />} />
        <Route path="/settings/api-keys" element={<ApiKeysRoute />} />
        <Route path="/settings/users" element={<UsersRoute />} />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}
