import { lazy, Suspense, useState } from 'react';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const UserMenu_User = graphql(`
  fragment UserMenu_User on User {
    id
    username
    name
    orgRole
  }
`);

const loadMenu = () => import('./UserMenuDropdown');
const UserMenuDropdown = lazy(loadMenu);

/**
 * The user menu. Its dropdown (Radix, and the sign-out request) loads when the person reaches for it,
 * so the first page stays small; until then the trigger is a plain button that looks the same.
 */
export function UserMenu({ user }: { user: FragmentOf<typeof UserMenu_User> }) {
  const data = readFragment(UserMenu_User, user);
  const [opened, setOpened] = useState(false);
  const username = data.username ?? '';
  const trigger = (
    <button
      type="button"
      className="usermenu__trigger"
      aria-label={`User menu for ${username}`}
      aria-haspopup="menu"
      onPointerEnter={() => void loadMenu()}
      onFocus={() => void loadMenu()}
      onClick={() => setOpened(true)}
    >
      <span className="avatar" aria-hidden="true">
        {username.slice(0, 1).toUpperCase()}
      </span>
      <span className="usermenu__name">{username}</span>
    </button>
  );
  if (!opened) return trigger;
  return (
    <Suspense fallback={trigger}>
      <UserMenuDropdown username={username} orgRole={data.orgRole} />
    </Suspense>
  );
}
