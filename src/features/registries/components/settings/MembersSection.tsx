import { useId, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Dialog } from '@/components/Dialog';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole, REGISTRY_ROLES, ROLE_LABELS, type RegistryRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { useSettled } from '@/lib/useSettled';
import { FieldError } from './FieldError';

export const MembersSection_Project = graphql(`
  fragment MembersSection_Project on Project {
    id
    displayName
    viewerRole {
      role
      source
      teamName
    }
    members {
      id
      username
      name
      role {
        name
      }
      effectiveRole {
        role
        source
        teamName
      }
    }
    teamMembers {
      team {
        id
        name
      }
      role {
        name
      }
    }
  }
`);

const MembersSection_UpdateUser = graphql(
  `
    mutation MembersSection_UpdateUser($projectId: ID!, $userId: ID!, $role: String!) {
      updateProjectMember(input: { projectId: $projectId, userId: $userId, userProjectRole: $role }) {
        project {
          id
          ...MembersSection_Project
        }
      }
    }
  `,
  [MembersSection_Project],
);

const MembersSection_UpdateTeam = graphql(
  `
    mutation MembersSection_UpdateTeam($projectId: ID!, $teamId: ID!, $role: String!) {
      updateProjectTeamMember(input: { projectId: $projectId, teamId: $teamId, teamProjectRole: $role }) {
        project {
          id
          ...MembersSection_Project
        }
      }
    }
  `,
  [MembersSection_Project],
);

const MembersSection_Remove = graphql(
  `
    mutation MembersSection_Remove($projectId: ID!, $userIds: [ID!], $teamIds: [ID!]) {
      deleteProjectMembers(input: { projectId: $projectId, userIds: $userIds, teamIds: $teamIds }) {
        project {
          id
          ...MembersSection_Project
        }
      }
    }
  `,
  [MembersSection_Project],
);

interface RoleInfo {
  role: string;
  source: string;
  teamName: string | null;
}

/** "member (from team vision)": a role and where it comes from. */
export function describeRole(info: RoleInfo | null): string {
  if (!info) return 'none';
  const role = ROLE_LABELS[info.role as RegistryRole]?.toLowerCase() ?? info.role;
  switch (info.source) {
    case 'org_admin':
      return `${role} (organization admin)`;
    case 'team':
      return `${role} (from team ${info.teamName ?? ''})`;
    case 'organization':
      return `${role} (organization default)`;
    default:
      return `${role} (own role)`;
  }
}

interface Member {
  kind: 'user' | 'team';
  id: string;
  name: string;
  detail: string | null;
  role: string;
  effective: string;
}

interface RowProps {
  member: Member;
  projectId: string;
  registryName: string;
  canEdit: boolean;
}

function MemberRow({ member, projectId, registryName, canEdit }: RowProps) {
  const id = useId();
  const [updatedUser, updateUser] = useMutation(MembersSection_UpdateUser);
  const [updatedTeam, updateTeam] = useMutation(MembersSection_UpdateTeam);
  const [removed, remove] = useMutation(MembersSection_Remove);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = updatedUser.fetching || updatedTeam.fetching;
  const kindLabel = member.kind === 'user' ? 'User' : 'Team';

  async function changeRole(role: string) {
    const res =
      member.kind === 'user'
        ? await updateUser({ projectId, userId: member.id, role })
        : await updateTeam({ projectId, teamId: member.id, role });
    setProblem(errorMessage(res.error));
  }

  async function confirmRemove() {
    const ids = member.kind === 'user' ? { userIds: [member.id] } : { teamIds: [member.id] };
    const res = await remove({ projectId, ...ids });
    if (!res.error) setConfirming(false);
  }

  return (
    <tr aria-label={`${kindLabel} ${member.name}`}>
      <th scope="row">
        <span className="settings__member-name">{member.name}</span>
        {member.detail && <span className="field__help">{member.detail}</span>}
        {/* Narrow screens drop the kind and effective role columns and show both here. */}
        <span className="field__help settings__narrow">
          {kindLabel} · {member.effective}
        </span>
      </th>
      <td className="hide-narrow">{kindLabel}</td>
      <td>
        <Gated allowed={canEdit} reason={needsRole('admin')}>
          {(props) => (
            <select
              aria-label={`Role of ${member.name}`}
              value={member.role}
              {...props}
              aria-describedby={[props['aria-describedby'], `${id}-error`].filter(Boolean).join(' ')}
              aria-invalid={Boolean(problem)}
              disabled={props.disabled || busy}
              onChange={(e) => void changeRole(e.target.value)}
            >
              {REGISTRY_ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          )}
        </Gated>
        <p id={`${id}-error`} className="field__error" aria-live="polite">
          {problem}
        </p>
      </td>
      <td className="hide-narrow">{member.effective}</td>
      <td className="settings__member-actions">
        <Gated allowed={canEdit} reason={needsRole('admin')}>
          {(props) => (
            <button
              type="button"
              className="button button--small"
              aria-label={`Remove ${member.name}`}
              {...props}
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          )}
        </Gated>
        <Dialog
          open={confirming}
          onOpenChange={setConfirming}
          title={`Remove ${member.name}?`}
          description={
            member.kind === 'user'
              ? `${member.name} loses the role given here in ${registryName}. Roles from their teams stay.`
              : `Team ${member.name} loses its role in ${registryName}; its members keep only roles given elsewhere.`
          }
        >
          <div className="stack">
            {removed.error && (
              <p className="form-error" role="alert">
                {errorMessage(removed.error)}
              </p>
            )}
            <div className="actions">
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" className="button button--danger" disabled={removed.fetching} onClick={() => void confirmRemove()}>
                Remove {kindLabel.toLowerCase()}
              </button>
            </div>
          </div>
        </Dialog>
      </td>
    </tr>
  );
}

const MembersSection_Add = graphql(
  `
    mutation MembersSection_Add($projectId: ID!, $userIds: [ID!], $teamIds: [ID!], $role: String!) {
      createProjectMembers(input: { projectId: $projectId, userIds: $userIds, teamIds: $teamIds, role: $role }) {
        project {
          id
          ...MembersSection_Project
        }
      }
    }
  `,
  [MembersSection_Project],
);

const AddMember_Lookup = graphql(`
  query AddMember_Lookup($name: String!) {
    entity(name: $name) {
      id
      name
      entityType
      user {
        id
        username
      }
    }
  }
`);

const AddMember_Users = graphql(`
  query AddMember_Users($query: String!) {
    users(query: $query) {
      edges {
        node {
          id
          username
          name
        }
      }
    }
  }
`);

interface AddProps {
  projectId: string;
  canEdit: boolean;
  canSearchUsers: boolean;
  isMember: (kind: 'user' | 'team', id: string) => boolean;
}

/** Adds a user or a team by name with a role. Org admins get suggestions from the organization's users. */
function AddMemberForm({ projectId, canEdit, canSearchUsers, isMember }: AddProps) {
  const id = useId();
  const client = useClient();
  const [kind, setKind] = useState<'user' | 'team'>('user');
  const [name, setName] = useState('');
  const [role, setRole] = useState<RegistryRole>('viewer');
  const [problem, setProblem] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);
  const [added, add] = useMutation(MembersSection_Add);
  const search = useSettled(name.trim());
  const [users] = useQuery({ query: AddMember_Users, variables: { query: search }, pause: !canSearchUsers || kind !== 'user' || !search });
  const suggestions = users.data?.users?.edges.map((e) => e.node) ?? [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = name.trim();
    const word = kind === 'user' ? 'username' : 'team name';
    if (!wanted) return setProblem(`Type the ${word} to add.`);
    setLooking(true);
    const found = await client.query(AddMember_Lookup, { name: wanted }, { requestPolicy: 'network-only' }).toPromise();
    setLooking(false);
    if (found.error) return setProblem(errorMessage(found.error));
    const entity = found.data?.entity;
    const memberId = kind === 'user' ? entity?.user?.id : entity?.entityType === 'TEAM' ? entity.id : undefined;
    if (!entity || !memberId) {
      return setProblem(
        kind === 'user' ? `No user named "${wanted}" in this organization.` : `No team named "${wanted}" in this organization.`,
      );
    }
    if (isMember(kind, memberId)) {
      return setProblem(`${entity.name} is a member already: change the role in the table above.`);
    }
    const res = await add(kind === 'user' ? { projectId, userIds: [memberId], role } : { projectId, teamIds: [memberId], role });
    setProblem(errorMessage(res.error));
    // Only what was added is cleared: the person may have typed on meanwhile.
    if (!res.error) setName((current) => (current === name ? '' : current));
  }

  return (
    <form className="settings__add" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add member</h3>
      <div className="settings__add-fields">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-kind`}>
            Kind
          </label>
          <select
            id={`${id}-kind`}
            value={kind}
            disabled={!canEdit}
            onChange={(e) => {
              setKind(e.target.value as 'user' | 'team');
              setProblem(null);
            }}
          >
            <option value="user">User</option>
            <option value="team">Team</option>
          </select>
        </div>
        <div className="field settings__add-name">
          <label className="field__label" htmlFor={`${id}-name`}>
            {kind === 'user' ? 'Username' : 'Team name'}
          </label>
          <input
            id={`${id}-name`}
            value={name}
            readOnly={!canEdit}
            autoComplete="off"
            list={suggestions.length > 0 ? `${id}-users` : undefined}
            placeholder={kind === 'user' ? 'e.g. alice' : 'e.g. vision'}
            aria-invalid={Boolean(problem)}
            aria-describedby={`${id}-error`}
            onChange={(e) => {
              setName(e.target.value);
              setProblem(null);
            }}
          />
          <datalist id={`${id}-users`}>
            {suggestions.map((user) => (
              <option key={user.id} value={user.username ?? ''}>
                {user.name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-role`}>
            Role
          </label>
          <select id={`${id}-role`} value={role} disabled={!canEdit} onChange={(e) => setRole(e.target.value as RegistryRole)}>
            {REGISTRY_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <Gated allowed={canEdit} reason={needsRole('admin')}>
          {(props) => (
            <button type="submit" className="button button--primary" {...props} disabled={props.disabled || looking || added.fetching}>
              Add member
            </button>
          )}
        </Gated>
      </div>
      <FieldError id={`${id}-error`} message={problem} />
    </form>
  );
}

interface Props {
  registry: FragmentOf<typeof MembersSection_Project>;
  canEdit: boolean;
  /** Org admins may search the organization's users by name. */
  canSearchUsers: boolean;
}

/** Users and teams with a role in the registry, each user's effective role and where it comes from. */
export function MembersSection({ registry, canEdit, canSearchUsers }: Props) {
  const r = readFragment(MembersSection_Project, registry);
  const id = useId();
  const members: Member[] = [
    ...r.members.map((m) => ({
      kind: 'user' as const,
      id: m.id,
      name: m.username ?? m.name ?? m.id,
      detail: m.name && m.name !== m.username ? m.name : null,
      role: m.role.name,
      effective: describeRole(m.effectiveRole),
    })),
    ...r.teamMembers.map((m) => ({
      kind: 'team' as const,
      id: m.team.id,
      name: m.team.name,
      detail: null,
      role: m.role.name,
      effective: `at least ${ROLE_LABELS[m.role.name as RegistryRole]?.toLowerCase() ?? m.role.name} for its users`,
    })),
  ];

  return (
    <section className="panel settings__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Members and roles</h2>
      <p className="field__help">
        A user's effective role is the highest of their own role, their teams' roles and, for organization admins, admin.
      </p>
      {members.length === 0 ? (
        <p className="muted">No members yet.</p>
      ) : (
        <div className="table-wrap settings__table">
          <table className="table table--actions">
            <caption className="visually-hidden">Members of {r.displayName}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-narrow">
                  Kind
                </th>
                <th scope="col">Role</th>
                <th scope="col" className="hide-narrow">
                  Effective role
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <MemberRow
                  key={`${member.kind}:${member.id}`}
                  member={member}
                  projectId={r.id}
                  registryName={r.displayName}
                  canEdit={canEdit}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddMemberForm
        projectId={r.id}
        canEdit={canEdit}
        canSearchUsers={canSearchUsers}
        isMember={(kind, memberId) => members.some((m) => m.kind === kind && m.id === memberId)}
      />
    </section>
  );
}
