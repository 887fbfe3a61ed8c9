import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from '@/lib/router';
import { ChangePasswordDialog } from '@/components/ChangePasswordDialog';
import { postJson } from '@/lib/http';
import { WithQueryClient } from '@/lib/query-client';
import { landmark } from '@/components/landmark';

interface Props {
  username: string;
  orgRole: string;
}

function Dropdown({ username, orgRole }: Props) {
  const navigate = useNavigate();
  const [changingPassword, setChangingPassword] = useState(false);
  const signOut = useMutation({
    mutationFn: () => postJson('/api/auth/logout'),
    // A full page load: nothing of the signed-in session (caches, pending requests) survives it.
    onSuccess: () => window.location.replace('/login'),
  });

  return (
    <>
      {/* Opens at once: it is mounted by the click that asked for it. Not modal, so the dialog it opens gets the focus. */}
      <DropdownMenu.Root defaultOpen modal={false}>
        <DropdownMenu.Trigger className="usermenu__trigger" aria-label={`User menu for ${username}`}>
          <span className="avatar" aria-hidden="true">
            {username.slice(0, 1).toUpperCase()}
          </span>
          <span className="usermenu__name">{username}</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal container={landmark('banner')}>
          <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
            <DropdownMenu.Label className="menu__label">
              Signed in as <strong>{username}</strong> ({orgRole})
            </DropdownMenu.Label>
            <DropdownMenu.Separator className="menu__separator" />
            <DropdownMenu.Item className="menu__item" onSelect={() => navigate('/settings/api-keys')}>
              API keys
            </DropdownMenu.Item>
            <DropdownMenu.Item className="menu__item" onSelect={() => navigate('/settings/teams')}>
              Teams and webhooks
            </DropdownMenu.Item>
            {orgRole === 'admin' && (
              <DropdownMenu.Item className="menu__item" onSelect={() => navigate('/settings/users')}>
                Users
              </DropdownMenu.Item>
            )}
            <DropdownMenu.Item className="menu__item" onSelect={() => setChangingPassword(true)}>
              Change password
            </DropdownMenu.Item>
            <DropdownMenu.Item className="menu__item" onSelect={() => signOut.mutate()} disabled={signOut.isPending}>
              Sign out
            </DropdownMenu.Item>
            {signOut.error && <p className="menu__error">{signOut.error.message}</p>}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <ChangePasswordDialog open={changingPassword} onOpenChange={setChangingPassword} />
    </>
  );
}

export default function UserMenuDropdown(props: Props) {
  return (
    <WithQueryClient>
      <Dropdown {...props} />
    </WithQueryClient>
  );
}
