import { useState } from "react";
import type { TeamPageQuery } from "../../../gql/graphql";
import { Badge } from "../../../ui/badge";
import { ConfirmButton } from "../../../ui/confirm-button";
import { formatDate, formatDateTime } from "../../../ui/format";
import { type UserError, UserErrors } from "../../../ui/user-errors";
import { ROLES } from "../labels";

type Invitation = TeamPageQuery["invitations"][number];

/** Invitations not accepted yet, newest first; with write access each can be withdrawn. */
export function InvitationList(props: {
  invitations: Invitation[];
  onRevoke?: (id: string) => Promise<readonly UserError[]>;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table table-cards" aria-label="Pending invitations">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Invited</th>
            <th scope="col">Expires</th>
            {props.onRevoke ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.invitations.map((i) => (
            <InvitationRow key={i.id} invitation={i} onRevoke={props.onRevoke} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function InvitationRow({
  invitation,
  onRevoke,
}: {
  invitation: Invitation;
  onRevoke?: (id: string) => Promise<readonly UserError[]>;
}) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  return (
    <tr data-invitation-id={invitation.id} data-email={invitation.email}>
      <td className="strong">{invitation.email}</td>
      <td data-label="Role">
        <Badge tone={ROLES[invitation.role].tone}>{ROLES[invitation.role].label}</Badge>
      </td>
      <td data-label="Invited">{formatDateTime(invitation.createdAt)}</td>
      <td title={formatDateTime(invitation.expiresAt)} data-label="Expires">
        {formatDate(invitation.expiresAt)}
      </td>
      {onRevoke ? (
        <td className="actions">
          <ConfirmButton
            label="Revoke"
            question={`Withdraw the invitation of ${invitation.email}?`}
            confirmLabel="Revoke"
            busy={busy}
            onConfirm={() => {
              setBusy(true);
              void onRevoke(invitation.id)
                .then(setErrors)
                .finally(() => setBusy(false));
            }}
          />
          <UserErrors errors={errors} />
        </td>
      ) : null}
    </tr>
  );
}
