import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from '@/lib/router';
import { AppProviders } from '@/app/providers';
import { AppRoutes, preloadRoute } from '@/app/router';
import { AppShellQuery } from '@/components/AppShell';
import { ErrorBoundary } from '@/components/ErrorBoundary';
import { Loading } from '@/components/States';
import { createGraphQLClient } from '@/lib/urql';
import '@/styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The first screen's code, its page query and the viewer query go out together, before anything
// renders: the page then renders its content at once, its data on the way or already cached.
const client = createGraphQLClient();
const signedInScreen = !['/login', '/set-password'].includes(window.location.pathname);
await Promise.all([
  preloadRoute(window.location, signedInScreen ? client : null).catch(() => undefined),
  signedInScreen ? client.query(AppShellQuery, {}).toPromise() : undefined,
]);

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <AppProviders client={client}>
        <ErrorBoundary>
          <Suspense fallback={<Loading />}>
            <AppRoutes />
          </Suspense>
        </ErrorBoundary>
      </AppProviders>
    </BrowserRouter>
  </StrictMode>,
);
