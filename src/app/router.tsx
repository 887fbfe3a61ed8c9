import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppShell } from '@/components/AppShell';

// Each screen is a route module, loaded when first visited.
const LoginRoute = lazy(() => import('@/features/auth/routes/LoginRoute'));
const RegistryHomeRoute = lazy(() => import('@/features/registries/routes/RegistryHomeRoute'));
const ApiKeysRoute = lazy(() => import('@/features/api-keys/routes/ApiKeysRoute'));
const NotFoundRoute = lazy(() => import('@/components/NotFoundRoute'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      <Route element={<AppShell />}>
        <Route index element={<Navigate to="/registry" replace />} />
        <Route path="/registry" element={<RegistryHomeRoute />} />
        <Route path="/settings/api-keys" element={<ApiKeysRoute />} />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}
