import { type FormEvent, useState } from "react";
import { useMutation } from "urql";
import { graphql } from "../../gql";
import type { PlatformKind } from "../../gql/graphql";
import { useToast } from "../../ui/toast";
import { requestErrors, type UserError, UserErrors } from "../../ui/user-errors";

const SetCredentialsMutation = graphql(`
  mutation SetConnectionCredentials($input: UpdatePlatformConnectionInput!) {
    updatePlatformConnection(input: $input) {
      connection {
        id
        endpoint
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

interface CredentialField {
  /** The key the server's credential schema names it by, and its userErrors' last field segment. */
  key: string;
  label: string;
  /** A secret: a password input, never pre-filled and never read back. */
  secret?: boolean;
  url?: boolean;
  optional?: boolean;
  hint?: string;
}

/** What each marketplace's connector reads (the server's CREDENTIAL_FIELDS), in the order a seller finds them. */
const FIELDS: Partial<Record<PlatformKind, { endpointLabel: string; fields: CredentialField[] }>> = {
  AMAZON: {
    endpointLabel: "SP-API URL",
    fields: [
      { key: "clientId", label: "LWA client ID" },
      { key: "clientSecret", label: "LWA client secret", secret: true },
      { key: "refreshToken", label: "Refresh token", secret: true },
      {
        key: "lwaEndpoint",
        label: "Token URL",
        url: true,
        optional: true,
        hint: "Empty for Amazon's own (api.amazon.com).",
      },
    ],
  },
  MEDUSA: {
    endpointLabel: "Store URL",
    fields: [
      { key: "apiKey", label: "Admin API key", secret: true },
      { key: "locationId", label: "Stock location ID", optional: true, hint: "Empty for the first one." },
    ],
  },
};

/**
 * Write-only credentials for one connection: every field starts empty and saving replaces all stored ones; the
 * API base URL is the one value shown as it is. The server's refusals appear beside the field they name.
 */
export function CredentialsForm(props: {
  connectionId: string;
  kind: PlatformKind;
  name: string;
  endpoint: string | null | undefined;
  onSaved(): void;
  onCancel(): void;
}) {
  const spec = FIELDS[props.kind];
  const [values, setValues] = useState<Record<string, string>>({});
  const [endpoint, setEndpoint] = useState(props.endpoint ?? "");
  const [problems, setProblems] = useState<UserError[]>([]);
  const [saving, save] = useMutation(SetCredentialsMutation);
  const toast = useToast();

  if (!spec) return <p className="muted small">{props.kind} connections take no credentials here yet.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credentials: Record<string, string> = {};
    for (const field of spec.fields) {
      const value = (values[field.key] ?? "").trim();
      // Required ones go even when empty, so the server's answer names them.
      if (value !== "" || !field.optional) credentials[field.key] = value;
    }
    const changedEndpoint = endpoint.trim() !== (props.endpoint ?? "");
    const res = await save({
      input: {
        id: props.connectionId,
        credentials,
        ...(changedEndpoint ? { endpoint: endpoint.trim() } : {}),
      },
    });
    const payload = res.data?.updatePlatformConnection;
    setProblems(res.error ? requestErrors(res.error) : (payload?.userErrors ?? []));
    // The success toast is the card's, which knows what comes next.
    if (res.error || payload?.userErrors.length) toast.outcome("", res, payload?.userErrors);
    if (payload?.connection) {
      setValues({});
      props.onSaved();
    }
  };

  const keys = ["endpoint", ...spec.fields.map((f) => f.key)];
  return (
    <form
      className="credentials-form"
      aria-label={`${props.name} credentials`}
      onSubmit={submit}
      noValidate
      autoComplete="off"
    >
      <p className="muted small">
        Saving replaces every stored credential of this connection. They are kept encrypted and never shown
        again.
      </p>
      <label className="field">
        <span>{spec.endpointLabel}</span>
        <input
          className="input mono"
          name="endpoint"
          type="url"
          placeholder="The marketplace's own"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
        />
        <UserErrors errors={problems} field="endpoint" />
      </label>
      {spec.fields.map((field) => (
        <label className="field" key={field.key}>
          <span>
            {field.label}
            {field.optional ? <span className="muted small"> (optional)</span> : null}
          </span>
          <input
            className="input mono"
            name={field.key}
            type={field.secret ? "password" : field.url ? "url" : "text"}
            autoComplete={field.secret ? "new-password" : "off"}
            value={values[field.key] ?? ""}
            onChange={(e) => setValues((v) => ({ ...v, [field.key]: e.target.value }))}
          />
          {field.hint ? <span className="muted small">{field.hint}</span> : null}
          <UserErrors errors={problems} field={field.key} />
        </label>
      ))}
      <UserErrors errors={problems} except={keys} />
      <div className="settings-actions">
        <button type="submit" className="button button-primary" disabled={saving.fetching}>
          {saving.fetching ? "Saving…" : "Save credentials"}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
