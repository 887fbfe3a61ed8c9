import { data } from '../seed/client.js';
import { createUser, newPassword } from '../seed/people.js';
import { E2E_ORIGIN } from './support/constants';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { captureScreens } from './support/screens';

test('a user changes their password from the user menu; the old one stops working', async ({ page, api }) => {
  const user = await createUser(api, { username: unique('cpw'), password: newPassword() });
  await signIn(page, user);
  await page.goto('/registry');

  await page.getByRole('button', { name: `User menu for ${user.username}` }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Current password').fill('not my password');
  await dialog.getByLabel('New password', { exact: true }).fill('my new password 1');
  await dialog.getByLabel('Repeat the new password').fill('my new password 1');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The current password is wrong; nothing was changed.');
  await page.screenshot({ path: 'e2e/screenshots/change-password-error.png' });

  await dialog.getByLabel('Repeat the new password').fill('something else');
  await dialog.getByLabel('Current password').fill(user.password);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The new passwords differ: type the same one twice.');

  await dialog.getByLabel('Repeat the new password').fill('my new password 1');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('status')).toContainText('Your password was changed');
  await expectNoA11yViolations(page);
  await page.screenshot({ path: 'e2e/screenshots/change-password-done.png' });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // This session stays; a fresh sign-in needs the new password.
  await expect(page.getByRole('button', { name: `User menu for ${user.username}` })).toBeVisible();
  const old = await page.request.post('/api/auth/login', { data: user, headers: { 'x-registry-csrf': '1', origin: E2E_ORIGIN } });
  expect(old.status()).toBe(401);
  const fresh = await page.request.post('/api/auth/login', {
    data: { username: user.username, password: 'my new password 1' },
    headers: { 'x-registry-csrf': '1', origin: E2E_ORIGIN },
  });
  expect(fresh.status()).toBe(200);
});

test('an admin’s reset link lets the user set a password while signed out, once', async ({ page, api }) => {
  const user = await createUser(api, { username: unique('rst'), password: newPassword() });
  const made = await data<{ createPasswordResetLink: { passwordLink: { url: string } } }>(
    api,
    `mutation ($username: String!) { createPasswordResetLink(input: { username: $username }) { passwordLink { url } } }`,
    { username: user.username },
  );
  const link = new URL(made.createPasswordResetLink.passwordLink.url);
  expect(link.pathname).toBe('/set-password');

  await page.goto(link.pathname + link.hash);
  await expect(page.getByRole('heading', { name: 'Set your password' })).toBeVisible();
  await expect(page.getByText(`Choose a password for ${user.username}. Setting it signs this user out everywhere.`)).toBeVisible();
  await expectNoA11yViolations(page);
  await page.screenshot({ path: 'e2e/screenshots/set-password-form.png' });

  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the new password').fill('short');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The password must be at least 8 characters.');

  await page.getByLabel('New password', { exact: true }).fill('a password from the link');
  await page.getByLabel('Repeat the new password').fill('a password from the link');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('status')).toContainText(`The password of ${user.username} is set.`);
  await page.screenshot({ path: 'e2e/screenshots/set-password-done.png' });

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill('a password from the link');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/registry$/);

  // The link worked once.
  await page.goto(link.pathname + link.hash);
  await expect(page.getByRole('alert')).toContainText('This password link does not work');
  await expectNoA11yViolations(page);
  await page.screenshot({ path: 'e2e/screenshots/set-password-used.png' });
});

test('an admin creates a user from an email on the Users page and copies the link the user sets a password with', async ({
  signedIn: page,
  browser,
}) => {
  const local = unique('newbie');
  await page.goto('/registry');
  await page.getByRole('button', { name: 'User menu for admin' }).click();
  await page.getByRole('menuitem', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Email').fill(`${local}@example.com`);
  await form.getByLabel('Role').selectOption('viewer');
  await form.getByRole('button', { name: 'Create user' }).click();
  const notice = page.getByRole('status').filter({ hasText: `Give ${local} this link to choose a password.` });
  await expect(notice).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`^${local}\\b`) })).toContainText('viewer');
  await expectNoA11yViolations(page);
  await page.screenshot({ path: 'e2e/screenshots/users-created.png', fullPage: true });
  const url = new URL((await notice.getByTestId('password-link').textContent()) ?? '');

  // The new user, in a browser of their own (signed out).
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await theirs.goto(url.pathname + url.hash);
  await theirs.getByLabel('New password', { exact: true }).fill('newbie chose this');
  await theirs.getByLabel('Repeat the new password').fill('newbie chose this');
  await theirs.getByRole('button', { name: 'Set password' }).click();
  await expect(theirs.getByRole('status')).toContainText(`The password of ${local} is set.`);
  await context.close();

  // A reset from the same table gives a new link and ends the user's sessions.
  await page.getByRole('button', { name: `Reset the password of ${local}` }).click();
  await page.getByRole('button', { name: `Confirm resetting the password of ${local}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Give ${local} this link to choose a new password.` })).toBeVisible();
});

test('screenshots: the Users page and the password link page, light and dark, wide and narrow', async ({ browser, api }) => {
  const user = await createUser(api, { username: unique('shot'), password: newPassword() });
  const made = await data<{ createPasswordResetLink: { passwordLink: { url: string } } }>(
    api,
    `mutation ($username: String!) { createPasswordResetLink(input: { username: $username }) { passwordLink { url } } }`,
    { username: user.username },
  );
  const link = new URL(made.createPasswordResetLink.passwordLink.url);
  await captureScreens(browser, [
    {
      name: 'users',
      path: '/settings/users',
      ready: (page) => page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /^admin\b/ }),
    },
    {
      name: 'set-password',
      path: link.pathname + link.hash,
      signedIn: false,
      ready: (page) => page.getByRole('button', { name: 'Set password' }),
    },
  ]);
});
