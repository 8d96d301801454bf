import { useState } from "react";
import { type FragmentType, useFragment } from "../../../gql";
import { Badge } from "../../../ui/badge";
import { ConfirmButton } from "../../../ui/confirm-button";
import { formatDate, formatDateTime } from "../../../ui/format";
import { type UserError, UserErrors } from "../../../ui/user-errors";
import { ApiKeyFieldsFragment } from "../api-keys.graphql";
import { KEY_STATUS } from "../labels";

/** The tenant's keys, newest first, revoked ones included; with write access an active key can be revoked. */
export function KeyList(props: {
  keys: FragmentType<typeof ApiKeyFieldsFragment>[];
  onRevoke?: (id: string) => Promise<readonly UserError[]>;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table table-cards" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Scopes</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            {props.onRevoke ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.keys.map((k, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: keyed by the key's id inside; masked here
            <KeyRow key={i} apiKey={k} onRevoke={props.onRevoke} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KeyRow(props: {
  apiKey: FragmentType<typeof ApiKeyFieldsFragment>;
  onRevoke?: (id: string) => Promise<readonly UserError[]>;
}) {
  const key = useFragment(ApiKeyFieldsFragment, props.apiKey);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const status = KEY_STATUS[key.status];
  const onRevoke = props.onRevoke;
  return (
    <tr data-key-id={key.id} data-name={key.name} data-status={key.status}>
      <td>
        <span className="strong">{key.name}</span>
        {key.createdBy ? <div className="muted small">by {key.createdBy.name}</div> : null}
      </td>
      <td data-label="Prefix">
        <code>{key.prefix}…</code>
      </td>
      <td className="scope-list" data-label="Scopes">
        {key.scopes.map((s) => (
          <code key={s} className="scope-tag">
            {s}
          </code>
        ))}
      </td>
      <td data-label="Status">
        <Badge
          tone={status.tone}
          title={key.revokedAt ? `Revoked ${formatDateTime(key.revokedAt)}` : undefined}
        >
          {status.label}
        </Badge>
      </td>
      <td title={formatDateTime(key.createdAt)} data-label="Created">
        {formatDate(key.createdAt)}
      </td>
      <td className="muted" data-label="Last used">
        {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}
      </td>
      <td
        className="muted"
        title={key.expiresAt ? formatDateTime(key.expiresAt) : undefined}
        data-label="Expires"
      >
        {key.expiresAt ? formatDate(key.expiresAt) : "Never"}
      </td>
      {onRevoke ? (
        <td className="actions">
          {key.status === "ACTIVE" ? (
            <ConfirmButton
              label="Revoke"
              question={`Revoke “${key.name}”? Whatever uses it stops working.`}
              confirmLabel="Revoke"
              busy={busy}
              onConfirm={() => {
                setBusy(true);
                void onRevoke(key.id)
                  .then(setErrors)
                  .finally(() => setBusy(false));
              }}
            />
          ) : null}
          <UserErrors errors={errors} />
        </td>
      ) : null}
    </tr>
  );
}
