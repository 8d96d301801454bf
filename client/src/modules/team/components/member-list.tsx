import { useState } from "react";
import type { TeamPageQuery, UserRole } from "../../../gql/graphql";
import { Badge } from "../../../ui/badge";
import { ConfirmButton } from "../../../ui/confirm-button";
import { formatDate, formatDateTime } from "../../../ui/format";
import { type UserError, UserErrors } from "../../../ui/user-errors";
import { ROLE_ORDER, ROLES } from "../labels";

type Member = TeamPageQuery["teamMembers"][number];

export interface MemberActions {
  /** Resolves to the server's refusals (none when done). */
  changeRole(memberId: string, role: UserRole): Promise<readonly UserError[]>;
  remove(memberId: string): Promise<readonly UserError[]>;
}

/** The team, oldest member first; with write access each row changes a role or removes the member. */
export function MemberList(props: { members: Member[]; selfId: string | null; actions?: MemberActions }) {
  return (
    <div className="table-wrap">
      <table className="data-table table-cards" aria-label="Team members">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            <th scope="col">Last sign-in</th>
            {props.actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => (
            <MemberRow key={m.id} member={m} self={m.user.id === props.selfId} actions={props.actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MemberRow({ member, self, actions }: { member: Member; self: boolean; actions?: MemberActions }) {
  const [role, setRole] = useState<UserRole>(member.role);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [removeErrors, setRemoveErrors] = useState<readonly UserError[]>([]);
  const name = member.user.name || member.user.email || "—";

  const run = async (
    action: () => Promise<readonly UserError[]>,
    show: (e: readonly UserError[]) => void,
  ) => {
    setBusy(true);
    try {
      show(await action());
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-member-id={member.id} data-email={member.user.email ?? undefined} data-role={member.role}>
      <td className="strong">
        {name}
        {self ? <Badge tone="info">You</Badge> : null}
      </td>
      <td data-label="Email">{member.user.email}</td>
      <td data-label="Role">
        {actions ? (
          <div className="controls-row role-edit">
            <select
              aria-label={`Role of ${name}`}
              value={role}
              disabled={busy}
              onChange={(e) => {
                setRole(e.target.value as UserRole);
                setErrors([]);
              }}
            >
              {ROLE_ORDER.map((r) => (
                <option key={r} value={r}>
                  {ROLES[r].label}
                </option>
              ))}
            </select>
            {role !== member.role ? (
              <>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={busy}
                  onClick={() => void run(() => actions.changeRole(member.id, role), setErrors)}
                >
                  Save role
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => {
                    setRole(member.role);
                    setErrors([]);
                  }}
                >
                  Undo
                </button>
              </>
            ) : null}
          </div>
        ) : (
          <Badge tone={ROLES[member.role].tone}>{ROLES[member.role].label}</Badge>
        )}
        <UserErrors errors={errors} />
      </td>
      <td title={formatDateTime(member.joinedAt)} data-label="Joined">
        {formatDate(member.joinedAt)}
      </td>
      <td className="muted" data-label="Last sign-in">
        {member.lastSignInAt ? formatDateTime(member.lastSignInAt) : "Never"}
      </td>
      {actions ? (
        <td className="actions">
          <ConfirmButton
            label="Remove"
            question={self ? "Leave this team?" : `Remove ${name}?`}
            confirmLabel={self ? "Leave" : "Remove"}
            busy={busy}
            onConfirm={() => void run(() => actions.remove(member.id), setRemoveErrors)}
          />
          <UserErrors errors={removeErrors} />
        </td>
      ) : null}
    </tr>
  );
}
