import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { ErrorMessage } from "../../ui/error-message";
import { Spinner } from "../../ui/spinner";
import { useToast } from "../../ui/toast";
import { requestErrors, type UserError } from "../../ui/user-errors";
import { useCan, useViewer } from "../session";
import { ApiKeysPageQuery, CreateApiKeyMutation, RevokeApiKeyMutation } from "./api-keys.graphql";
import { CreateKeyForm, type CreateKeyValues } from "./components/create-key-form";
import { KeyList } from "./components/key-list";
import { KeySecret } from "./components/key-secret";
import "./api-keys.css";
import { TotalCount } from "../../ui/total-count";

/** Partner API keys: each with its own scopes and expiry; the secret is shown once, at creation. */
export function ApiKeysPage() {
  const viewer = useViewer();
  const canWrite = useCan("write_api_keys");
  const [keys, reexecute] = useQuery({ query: ApiKeysPageQuery });
  const reload = () => reexecute({ requestPolicy: "network-only" });

  const [create, createKey] = useMutation(CreateApiKeyMutation);
  const [, revokeKey] = useMutation(RevokeApiKeyMutation);
  const toast = useToast();
  const [createErrors, setCreateErrors] = useState<readonly UserError[]>([]);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  const onCreate = async (values: CreateKeyValues) => {
    setCreated(null);
    const result = await createKey({ input: values });
    const payload = result.data?.createApiKey;
    setCreateErrors(result.error ? requestErrors(result.error) : (payload?.userErrors ?? []));
    toast.outcome(`Key "${values.name}" created`, result, payload?.userErrors);
    if (!payload?.secret) return false;
    setCreated({ name: values.name, secret: payload.secret });
    reload();
    return true;
  };

  const onRevoke = async (id: string): Promise<readonly UserError[]> => {
    const result = await revokeKey({ id });
    toast.outcome("Key revoked", result, result.data?.revokeApiKey.userErrors);
    if (result.error) return requestErrors(result.error);
    const errors = result.data?.revokeApiKey.userErrors ?? [];
    if (!errors.length) reload();
    return errors;
  };

  const list = keys.data?.apiKeys ?? [];
  return (
    <section className="page" aria-labelledby="api-keys-heading">
      <header className="page-header">
        <div>
          <h1 id="api-keys-heading">API keys</h1>
          <p className="page-subtitle">
            Keys for partners and scripts to call the API as {viewer.tenant?.name ?? "this account"}, each
            limited to its scopes.
          </p>
        </div>
        <div className="page-header-status">
          {keys.fetching ? <Spinner label="Loading API keys" /> : null}
          {keys.data ? (
            <TotalCount count={list.length} one="key" many="keys" testId="api-keys-total" />
          ) : null}
        </div>
      </header>

      <div className={canWrite ? "identity-layout" : "identity-layout no-form"}>
        {canWrite ? (
          <div className="identity-side">
            <CreateKeyForm
              held={viewer.scopes}
              busy={create.fetching}
              errors={createErrors}
              onCreate={onCreate}
            />
          </div>
        ) : null}
        <div className="identity-main">
          {keys.error ? <ErrorMessage error={keys.error} onRetry={reload} /> : null}
          {created ? (
            <KeySecret name={created.name} secret={created.secret} onDismiss={() => setCreated(null)} />
          ) : null}
          {!canWrite ? (
            <p className="muted" data-testid="read-only">
              Your role can see the keys but not create or revoke them.
            </p>
          ) : null}
          <section className="panel" aria-labelledby="keys-heading">
            <h2 id="keys-heading">Keys</h2>
            {list.length ? (
              <KeyList keys={list} onRevoke={canWrite ? onRevoke : undefined} />
            ) : keys.data ? (
              <p className="muted">
                No API key yet. Create one for each partner, with only the scopes it needs.
              </p>
            ) : null}
          </section>
        </div>
      </div>
    </section>
  );
}
