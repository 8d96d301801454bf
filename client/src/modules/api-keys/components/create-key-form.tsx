import { type FormEvent, useState } from "react";
import type { AccessScope } from "../../../gql/graphql";
import { TextField } from "../../../ui/text-field";
import { type UserError, UserErrors } from "../../../ui/user-errors";
import { SCOPE_AREAS } from "../labels";

export interface CreateKeyValues {
  name: string;
  scopes: AccessScope[];
  /** ISO instant, the end of the chosen day in this browser's time zone; null for a key that never expires. */
  expiresAt: string | null;
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A name, the scopes (at most the creator's own) and an optional last day. */
export function CreateKeyForm(props: {
  /** The scopes the signed-in user holds: only those can be given. */
  held: readonly AccessScope[];
  busy: boolean;
  errors: readonly UserError[];
  onCreate(values: CreateKeyValues): Promise<boolean>;
}) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<AccessScope[]>([]);
  const [expiry, setExpiry] = useState("");
  const [local, setLocal] = useState<UserError[]>([]);

  const toggle = (scope: AccessScope) =>
    setScopes((s) => (s.includes(scope) ? s.filter((x) => x !== scope) : [...s, scope]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (scopes.length === 0) {
      setLocal([{ field: ["scopes"], code: "REQUIRED", message: "Choose at least one scope." }]);
      return;
    }
    setLocal([]);
    const expiresAt = expiry ? new Date(`${expiry}T23:59:59.999`).toISOString() : null;
    if (await props.onCreate({ name: name.trim(), scopes, expiresAt })) {
      setName("");
      setScopes([]);
      setExpiry("");
    }
  };

  const errors = [...local, ...props.errors];
  const box = (scope: AccessScope | undefined, label: string) => {
    if (!scope) return <td className="scope-none" />;
    const allowed = props.held.includes(scope);
    return (
      <td>
        <label className="scope-box" title={allowed ? scope : "Your role does not hold this scope"}>
          <input
            type="checkbox"
            name="scopes"
            value={scope}
            aria-label={scope}
            checked={scopes.includes(scope)}
            disabled={!allowed}
            onChange={() => toggle(scope)}
          />
          <span>{label}</span>
        </label>
      </td>
    );
  };

  return (
    <form className="panel stack-form" aria-labelledby="create-key-heading" onSubmit={submit} noValidate>
      <h2 id="create-key-heading">Create an API key</h2>
      <TextField
        label="Name"
        name="name"
        required
        autoComplete="off"
        placeholder="e.g. the partner's name"
        value={name}
        onValue={setName}
        errors={errors}
      />
      <fieldset className="scope-picker">
        <legend>Scopes</legend>
        <table className="scope-grid">
          <tbody>
            {SCOPE_AREAS.map((row) => (
              <tr key={row.area}>
                <th scope="row">{row.area}</th>
                {box(row.read, "Read")}
                {box(row.write, "Write")}
              </tr>
            ))}
          </tbody>
        </table>
        <span className="muted small">
          {scopes.length} chosen. A key can do only what its scopes allow, and never more than you can.
        </span>
        <UserErrors errors={errors} field="scopes" />
      </fieldset>
      <TextField
        label="Expires after (optional)"
        type="date"
        name="expiresAt"
        min={today()}
        value={expiry}
        onValue={setExpiry}
        hint="Empty: the key works until it is revoked."
        errors={errors}
      />
      <UserErrors errors={errors} except={["name", "scopes", "expiresAt"]} />
      <button type="submit" className="button button-primary" disabled={props.busy}>
        {props.busy ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}
