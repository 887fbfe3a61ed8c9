import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useResetSession } from '@/app/providers';
import { postJson } from '@/lib/http';
import { queryClient, WithQueryClient } from '@/lib/query-client';

interface Props {
  username: string;
  orgRole: string;
}

function Dropdown({ username, orgRole }: Props) {
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const signOut = useMutation({
    mutationFn: () => postJson('/api/auth/logout'),
    onSuccess: () => {
      // Leave the signed-in pages first, so they do not redirect with a "next" of their own.
      navigate('/login', { replace: true });
      queryClient.clear();
      resetSession();
    },
  });

  return (
    // Opens at once: it is mounted by the click that asked for it.
    <DropdownMenu.Root defaultOpen>
      <DropdownMenu.Trigger className="usermenu__trigger" aria-label={`User menu for ${username}`}>
        <span className="avatar" aria-hidden="true">
          {username.slice(0, 1).toUpperCase()}
        </span>
        <span className="usermenu__name">{username}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
          <DropdownMenu.Label className="menu__label">
            Signed in as <strong>{username}</strong> ({orgRole})
          </DropdownMenu.Label>
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Item className="menu__item" onSelect={() => navigate('/settings/api-keys')}>
            API keys
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu__item" onSelect={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </DropdownMenu.Item>
          {signOut.error && <p className="menu__error">{signOut.error.message}</p>}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export default function UserMenuDropdown(props: Props) {
  return (
    <WithQueryClient>
      <Dropdown {...props} />
    </WithQueryClient>
  );
}
