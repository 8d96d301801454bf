import { useQuery } from "urql";
import { graphql } from "../../gql";
import { ErrorMessage } from "../../ui/error-message";
import { Spinner } from "../../ui/spinner";
import { NotificationPreferencesForm } from "../notifications";
import { useCan } from "../session";
import { ConnectionList } from "./connection-list";
import { MailDeliveries } from "./mail-deliveries";
import { SyncSettingsForm } from "./sync-settings-form";
import "./settings.css";

const SettingsPageQuery = graphql(`
  query SettingsPage {
    platformSyncSettings {
      ...SyncSettingsForm_settings
    }
    platformConnections {
      id
      ...ConnectionList_connection
    }
  }
`);

/** Credential facts and signing secrets: a query of their own, asked only by those who may read credentials. */
const ConnectionCredentialsQuery = graphql(`
  query ConnectionCredentials {
    platformConnections {
      id
      ...ConnectionCard_credentials
    }
  }
`);

/** How the store is kept in step, and each marketplace connection with its health and webhook. */
export function SettingsPage() {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: SettingsPageQuery });
  const canReadSecrets = useCan("read_credentials");
  const canReadAlerts = useCan("read_alerts");
  const [secrets, refetchSecrets] = useQuery({ query: ConnectionCredentialsQuery, pause: !canReadSecrets });
  const credentialsOf = (id: string) => secrets.data?.platformConnections.find((c) => c.id === id);
  const reload = () => {
    reexecute({ requestPolicy: "network-only" });
    if (canReadSecrets) refetchSecrets({ requestPolicy: "network-only" });
  };
  return (
    <section className="page settings-page" aria-labelledby="settings-heading">
      <header className="page-header">
        <div>
          <h1 id="settings-heading">Settings</h1>
          <p className="page-subtitle">
            How often and how the platforms are kept in step, and the marketplaces this store sells on.
          </p>
        </div>
        <div className="page-header-status">{fetching ? <Spinner label="Loading settings" /> : null}</div>
      </header>
      {error ? <ErrorMessage error={error} onRetry={reload} /> : null}
      {data ? <SyncSettingsForm settings={data.platformSyncSettings} /> : null}
      <h2 className="settings-section">Connections</h2>
      {data ? (
        <ConnectionList
          connections={data.platformConnections}
          credentialsOf={credentialsOf}
          onChanged={reload}
        />
      ) : null}
      {data && data.platformConnections.length === 0 ? (
        <p className="muted">No marketplace is connected yet.</p>
      ) : null}
      {canReadAlerts ? (
        <>
          <h2 className="settings-section">Your notifications</h2>
          <NotificationPreferencesForm />
        </>
      ) : null}
      <MailDeliveries />
    </section>
  );
}
