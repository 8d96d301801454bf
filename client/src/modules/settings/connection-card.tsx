import { useState } from "react";
import { useMutation } from "urql";
import { type FragmentType, graphql, useFragment } from "../../gql";
import type { HealthStatus } from "../../gql/graphql";
import { Badge, type Tone } from "../../ui/badge";
import { ConfirmButton } from "../../ui/confirm-button";
import { CopyButton } from "../../ui/copy-button";
import { formatDateTime } from "../../ui/format";
import { useToast } from "../../ui/toast";
import { requestErrors, type UserError, UserErrors } from "../../ui/user-errors";
import { useCan } from "../session";
import { CredentialsForm } from "./credentials-form";
import { type StockRules, StockRulesForm } from "./stock-rules-form";

export const ConnectionCardFragment = graphql(`
  fragment ConnectionCard_connection on PlatformConnection {
    id
    kind
    name
    endpoint
    enabled
    priority
    stockPercentage
    stockBuffer
    stockMax
    lastHealthStatus
    lastHealthAt
    lastHealthLatencyMs
    lastHealthError
    webhook {
      url
      secretCreatedAt
      previousSecretValidUntil
    }
  }
`);

export const ConnectionCardCredentialsFragment = graphql(`
  fragment ConnectionCard_credentials on PlatformConnection {
    hasCredentials
    credentialsUpdatedAt
    webhook {
      secret
    }
  }
`);

const UpdateConnectionMutation = graphql(`
  mutation UpdateConnection($input: UpdatePlatformConnectionInput!) {
    updatePlatformConnection(input: $input) {
      connection {
        ...ConnectionCard_connection
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const TestConnectionMutation = graphql(`
  mutation TestConnection($id: ID!) {
    testPlatformConnection(id: $id) {
      ok
      message
      latencyMs
      circuit
      connection {
        id
        lastHealthStatus
        lastHealthAt
        lastHealthLatencyMs
        lastHealthError
      }
    }
  }
`);

const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($connectionId: ID!) {
    rotateWebhookSecret(connectionId: $connectionId) {
      webhook {
        secret
        secretCreatedAt
        previousSecretValidUntil
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const HEALTH: Record<HealthStatus, { label: string; tone: Tone }> = {
  HEALTHY: { label: "Healthy", tone: "success" },
  DEGRADED: { label: "Degraded", tone: "warning" },
  DOWN: { label: "Down", tone: "danger" },
  UNKNOWN: { label: "Not checked", tone: "neutral" },
};

/** Where a connection stands in the priority order, and how to move it (absent for those who may not). */
export interface ConnectionOrder {
  /** 1 for the first. */
  position: number;
  count: number;
  busy: boolean;
  onMove(direction: "up" | "down"): void;
}

/**
 * One marketplace connection: on or off, its place in the priority order and its stock rules, health with a live
 * test, and its webhook.
 */
export function ConnectionCard(props: {
  connection: FragmentType<typeof ConnectionCardFragment>;
  credentials: FragmentType<typeof ConnectionCardCredentialsFragment> | undefined;
  onChanged(): void;
  order?: ConnectionOrder;
}) {
  const c = useFragment(ConnectionCardFragment, props.connection);
  const credentials = useFragment(ConnectionCardCredentialsFragment, props.credentials);
  const secret = credentials?.webhook.secret;
  const canChange = useCan("write_settings");
  const [test, testConnection] = useMutation(TestConnectionMutation);
  const [rotate, rotateSecret] = useMutation(RotateWebhookSecretMutation);
  const [update, updateConnection] = useMutation(UpdateConnectionMutation);
  const [problems, setProblems] = useState<UserError[]>([]);
  const [shown, setShown] = useState(false);
  const [editingCredentials, setEditingCredentials] = useState(false);
  const toast = useToast();
  // A result from before the credentials changed says nothing about the new ones.
  const [testShown, setTestShown] = useState(false);
  const result = testShown ? test.data?.testPlatformConnection : undefined;
  const health = HEALTH[c.lastHealthStatus];

  const order = canChange ? props.order : undefined;

  const setEnabled = async (enabled: boolean) => {
    const res = await updateConnection({ input: { id: c.id, enabled } });
    const payload = res.data?.updatePlatformConnection;
    setProblems(res.error ? requestErrors(res.error) : (payload?.userErrors ?? []));
    toast.outcome(`${c.name}: ${enabled ? "enabled" : "disabled"}`, res, payload?.userErrors);
    if (payload?.connection) props.onChanged();
  };
  const saveStockRules = async (rules: StockRules): Promise<UserError[]> => {
    const res = await updateConnection({ input: { id: c.id, ...rules } });
    toast.outcome(`${c.name}: stock rules saved`, res, res.data?.updatePlatformConnection?.userErrors);
    if (res.error) return requestErrors(res.error);
    const payload = res.data?.updatePlatformConnection;
    if (payload?.connection) props.onChanged();
    return payload?.userErrors ?? [];
  };
  const onRotate = async () => {
    const res = await rotateSecret({ connectionId: c.id });
    const payload = res.data?.rotateWebhookSecret;
    setProblems(res.error ? requestErrors(res.error) : (payload?.userErrors ?? []));
    toast.outcome(`${c.name}: webhook secret rotated`, res, payload?.userErrors);
    if (payload?.webhook) props.onChanged();
  };

  return (
    <article className="panel connection-card" aria-label={c.name} data-connection-id={c.id}>
      <div className="head-row connection-head">
        <h2>
          {c.name} <span className="muted small">{c.kind}</span>
        </h2>
        <div className="connection-badges">
          {c.enabled ? null : <Badge>Disabled</Badge>}
          <span data-testid="health" data-status={c.lastHealthStatus}>
            <Badge tone={health.tone}>{health.label}</Badge>
          </span>
        </div>
      </div>
      <dl className="connection-facts">
        <div>
          <dt>Last checked</dt>
          <dd>
            {c.lastHealthAt ? formatDateTime(c.lastHealthAt) : "never"}
            {c.lastHealthLatencyMs != null ? ` · ${c.lastHealthLatencyMs} ms` : ""}
          </dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd data-testid="priority" data-priority={c.priority}>
            {props.order ? `${props.order.position} of ${props.order.count}` : c.priority} (first wins under
            "best priority")
          </dd>
        </div>
        <div>
          <dt>Stock published</dt>
          <dd data-testid="stock-rules">
            {c.stockPercentage} % of available, less {c.stockBuffer}
            {c.stockMax != null ? `, at most ${c.stockMax}` : ""}
          </dd>
        </div>
        {credentials ? (
          <div>
            <dt>Credentials</dt>
            <dd data-testid="credentials-set" data-updated-at={credentials.credentialsUpdatedAt ?? ""}>
              {credentials.hasCredentials
                ? `set${credentials.credentialsUpdatedAt ? ` ${formatDateTime(credentials.credentialsUpdatedAt)}` : ""}`
                : "none"}
            </dd>
          </div>
        ) : null}
      </dl>
      {c.lastHealthError ? <p className="field-error">{c.lastHealthError}</p> : null}
      {canChange ? (
        <div className="controls-row">
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={c.enabled}
              disabled={update.fetching}
              onChange={(e) => void setEnabled(e.target.checked)}
            />
            <span>Enabled</span>
          </label>
          {order && order.count > 1 ? (
            <fieldset className="connection-order">
              <legend className="visually-hidden">
                Priority order of {c.name}: {order.position} of {order.count}
              </legend>
              <button
                type="button"
                className="button"
                data-move="up"
                disabled={order.busy || order.position === 1}
                onClick={() => order.onMove("up")}
              >
                <span aria-hidden="true">↑</span> Move up
              </button>
              <button
                type="button"
                className="button"
                data-move="down"
                disabled={order.busy || order.position === order.count}
                onClick={() => order.onMove("down")}
              >
                <span aria-hidden="true">↓</span> Move down
              </button>
            </fieldset>
          ) : null}
        </div>
      ) : null}
      {canChange ? (
        <StockRulesForm
          name={c.name}
          rules={{
            stockPercentage: c.stockPercentage,
            stockBuffer: c.stockBuffer,
            stockMax: c.stockMax ?? null,
          }}
          busy={update.fetching}
          save={saveStockRules}
        />
      ) : null}
      {canChange ? (
        <div className="controls-row">
          <button
            type="button"
            className="button"
            disabled={test.fetching}
            onClick={() => {
              setTestShown(true);
              void testConnection({ id: c.id }).then((res) => {
                const r = res.data?.testPlatformConnection;
                if (res.error || !r) return toast.outcome("", res, []);
                if (r.ok) toast.success(`${c.name}: reached in ${r.latencyMs} ms`);
                else toast.failure(`${c.name}: not reached${r.message ? ` (${r.message})` : ""}`);
              });
            }}
          >
            {test.fetching ? "Testing…" : "Test connection"}
          </button>
          {result ? (
            <output className={result.ok ? "test-ok" : "field-error"} data-testid="test-result">
              {result.ok ? "Reached" : "Failed"} in {result.latencyMs} ms · circuit{" "}
              {result.circuit.toLowerCase()}
              {result.message ? ` · ${result.message}` : ""}
            </output>
          ) : null}
          {testShown && test.error ? <UserErrors errors={requestErrors(test.error)} /> : null}
        </div>
      ) : null}
      {canChange ? (
        editingCredentials ? (
          <CredentialsForm
            connectionId={c.id}
            kind={c.kind}
            name={c.name}
            endpoint={c.endpoint}
            onCancel={() => setEditingCredentials(false)}
            onSaved={() => {
              setEditingCredentials(false);
              setTestShown(false);
              toast.success(`${c.name}: credentials saved. Test the connection to check them.`);
              props.onChanged();
            }}
          />
        ) : (
          <div className="controls-row">
            <button type="button" className="button" onClick={() => setEditingCredentials(true)}>
              {credentials?.hasCredentials ? "Replace credentials" : "Set credentials"}
            </button>
          </div>
        )
      ) : null}

      <h3>Webhook</h3>
      <p className="muted small">
        Paste the URL and the secret into the marketplace's notification settings.
      </p>
      <div className="copy-row">
        <input className="input mono" readOnly aria-label={`${c.name} webhook URL`} value={c.webhook.url} />
        <CopyButton value={c.webhook.url} label="Copy URL" />
      </div>
      {secret ? (
        <div className="copy-row">
          <input
            className="input mono"
            readOnly
            aria-label={`${c.name} webhook secret`}
            type={shown ? "text" : "password"}
            value={secret}
          />
          <button type="button" className="button" onClick={() => setShown((s) => !s)}>
            {shown ? "Hide" : "Show"}
          </button>
          <CopyButton value={secret} label="Copy secret" />
        </div>
      ) : (
        <p className="muted small" data-testid="secret-hidden">
          The signing secret is shown to owners and admins.
        </p>
      )}
      <p className="muted small">
        Secret made {formatDateTime(c.webhook.secretCreatedAt)}
        {c.webhook.previousSecretValidUntil ? (
          <span data-testid="previous-secret">
            {" "}
            · the previous one still verifies until {formatDateTime(c.webhook.previousSecretValidUntil)}
          </span>
        ) : null}
      </p>
      {canChange ? (
        <div>
          <ConfirmButton
            label="Rotate secret"
            question="Make a new secret? The current one keeps working for a day."
            confirmLabel="Rotate"
            busy={rotate.fetching}
            onConfirm={() => void onRotate()}
          />
        </div>
      ) : null}
      <UserErrors errors={problems} />
    </article>
  );
}
