import { type FormEvent, useState } from "react";
import type { UserRole } from "../../../gql/graphql";
import { TextField } from "../../../ui/text-field";
import { type UserError, UserErrors } from "../../../ui/user-errors";
import { ROLE_ORDER, ROLES } from "../labels";

/** An address and a role; the server's refusals show beside the control at fault. */
export function InviteForm(props: {
  busy: boolean;
  errors: readonly UserError[];
  /** Resolves true when the invitation was made, so the form can start over. */
  onInvite(values: { email: string; role: UserRole }): Promise<boolean>;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<UserRole>("EDITOR");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await props.onInvite({ email: email.trim(), role })) setEmail("");
  };
  return (
    <form className="panel stack-form" aria-labelledby="invite-heading" onSubmit={submit}>
      <h2 id="invite-heading">Invite a member</h2>
      <TextField
        label="Email"
        type="email"
        name="email"
        required
        autoComplete="off"
        value={email}
        onValue={setEmail}
        errors={props.errors}
      />
      <label className="field">
        <span>Role</span>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          {ROLE_ORDER.map((r) => (
            <option key={r} value={r}>
              {ROLES[r].label}
            </option>
          ))}
        </select>
        <span className="muted small">{ROLES[role].hint}</span>
        <UserErrors errors={props.errors} field="role" />
      </label>
      <UserErrors errors={props.errors} except={["email", "role"]} />
      <button type="submit" className="button button-primary" disabled={props.busy}>
        {props.busy ? "Inviting…" : "Invite"}
      </button>
    </form>
  );
}
