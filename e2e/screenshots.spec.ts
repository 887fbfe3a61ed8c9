import { test } from './support/fixtures';
import { captureScreens } from './support/screens';

test('screenshots: sign-in, registry home, API keys', async ({ browser }) => {
  await captureScreens(browser, [
    { name: 'login', path: '/login', ready: (p) => p.getByRole('heading', { name: 'Sign in to Registry' }), signedIn: false },
    { name: 'registry-home', path: '/registry', ready: (p) => p.getByRole('article', { name: 'Models', exact: true }) },
    { name: 'api-keys', path: '/settings/api-keys', ready: (p) => p.getByRole('heading', { name: 'API keys' }) },
  ]);
});
