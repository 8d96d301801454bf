import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { graphql } from "../../gql";
import type { ConnectionCredentialsQuery, ConnectionsPageQuery, HealthStatus } from "../../gql/graphql";
import { Badge, type Tone } from "../../ui/badge";
import { ConfirmButton } from "../../ui/confirm-button";
import { CopyButton } from "../../ui/copy-button";
import { ErrorMessage } from "../../ui/error-message";
import { formatDateTime } from "../../ui/format";
import { Spinner } from "../../ui/spinner";
import { requestErrors, type UserError, UserErrors } from "../../ui/user-errors";
import { useCan } from "../session";
import "./connections.css";

const ConnectionsPageQueryDocument = graphql(`
  query ConnectionsPage {
    platformConnections {
      id
      kind
      name
      enabled
      priority
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
  }
`);

/** Credential facts and signing secrets: a query of their own, asked only by those who may read credentials. */
const ConnectionCredentialsDocument = graphql(`
  query ConnectionCredentials {
    platformConnections {
      id
      hasCredentials
      credentialsUpdatedAt
      webhook {
        secret
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

type Connection = ConnectionsPageQuery["platformConnections"][number];
type Credentials = ConnectionCredentialsQuery["platformConnections"][number];

const HEALTH: Record<HealthStatus, { label: string; tone: Tone }> = {
  HEALTHY: { label: "Healthy", tone: "success" },
  DEGRADED: { label: "Degraded", tone: "warning" },
  DOWN: { label: "Down", tone: "danger" },
  UNKNOWN: { label: "Not checked", tone: "neutral" },
};

/** Each marketplace connection: its health, a live test, and where and how the marketplace signs its webhooks. */
export function ConnectionsPage() {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ConnectionsPageQueryDocument });
  const canReadSecrets = useCan("read_credentials");
  const [secrets, refetchSecrets] = useQuery({
    query: ConnectionCredentialsDocument,
    pause: !canReadSecrets,
  });
  const credentialsOf = (id: string) => secrets.data?.platformConnections.find((c) => c.id === id);
  return (
    <section className="page connections-page" aria-labelledby="connections-heading">
      <header className="page-header">
        <div>
          <h1 id="connections-heading">Connections</h1>
          <p className="page-subtitle">
            The marketplaces this store sells on: health, and the webhook each one calls.
          </p>
        </div>
        <div className="page-header-status">{fetching ? <Spinner label="Loading connections" /> : null}</div>
      </header>
      {error ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}
      <div className="connections-list">
        {data?.platformConnections.map((c) => (
          <ConnectionCard
            key={c.id}
            connection={c}
            credentials={credentialsOf(c.id)}
            onRotated={() => {
              reexecute({ requestPolicy: "network-only" });
              refetchSecrets({ requestPolicy: "network-only" });
            }}
          />
        ))}
        {data && data.platformConnections.length === 0 ? (
          <p className="muted">No marketplace is connected yet.</p>
        ) : null}
      </div>
    </section>
  );
}

function ConnectionCard(props: {
  connection: Connection;
  credentials: Credentials | undefined;
  onRotated(): void;
}) {
  const c = props.connection;
  const credentials = props.credentials;
  const secret = credentials?.webhook.secret;
  const canChange = useCan("write_settings");
  const [test, testConnection] = useMutation(TestConnectionMutation);
  const [rotate, rotateSecret] = useMutation(RotateWebhookSecretMutation);
  const [problems, setProblems] = useState<UserError[]>([]);
  const [shown, setShown] = useState(false);
  const result = test.data?.testPlatformConnection;
  const health = HEALTH[c.lastHealthStatus];

  const onRotate = async () => {
    const res = await rotateSecret({ connectionId: c.id });
    const payload = res.data?.rotateWebhookSecret;
    setProblems(res.error ? requestErrors(res.error) : (payload?.userErrors ?? []));
    if (payload?.webhook) props.onRotated();
  };

  return (
    <article className="panel connection-card" aria-label={c.name} data-connection-id={c.id}>
      <div className="connection-head">
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
          <dd>{c.priority}</dd>
        </div>
        {credentials ? (
          <div>
            <dt>Credentials</dt>
            <dd>
              {credentials.hasCredentials
                ? `set${credentials.credentialsUpdatedAt ? ` ${formatDateTime(credentials.credentialsUpdatedAt)}` : ""}`
                : "none"}
            </dd>
          </div>
        ) : null}
      </dl>
      {c.lastHealthError ? <p className="field-error">{c.lastHealthError}</p> : null}
      {canChange ? (
        <div className="connection-actions">
          <button
            type="button"
            className="button"
            disabled={test.fetching}
            onClick={() => void testConnection({ id: c.id })}
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
          {test.error ? <UserErrors errors={requestErrors(test.error)} /> : null}
        </div>
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
