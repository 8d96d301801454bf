import type { CombinedError } from "urql";

/** Shows what went wrong in a request: each GraphQL error with its code, or the network failure. */
export function ErrorMessage({ error, onRetry }: { error: CombinedError; onRetry?: () => void }) {
  const messages = error.graphQLErrors.length
    ? error.graphQLErrors.map((e) => ({
        message: e.message,
        code: typeof e.extensions?.code === "string" ? e.extensions.code : undefined,
      }))
    : [{ message: error.networkError?.message ?? error.message, code: "NETWORK_ERROR" }];
  return (
    <div className="alert-box" role="alert">
      <strong>The request failed.</strong>
      <ul>
        {messages.map((m, i) => (
          // Messages can repeat, so position is part of the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is static for one render
          <li key={i}>
            {m.message}
            {m.code ? <code className="error-code">{m.code}</code> : null}
          </li>
        ))}
      </ul>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
