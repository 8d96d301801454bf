import { authExchange } from "@urql/exchange-auth";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import {
  chosenTenant,
  currentSession,
  freshAccessToken,
  sessionRejected,
  tokenExpiresSoon,
} from "../modules/session/session-store";
import { GRAPHQL_PATH } from "./graphql-path";

function websocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}${GRAPHQL_PATH}`;
}

/** The headers that say who asks and in which tenant. */
function credentials(token: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const tenant = chosenTenant();
  if (tenant) headers["x-tenant"] = tenant;
  return headers;
}

/** Close codes graphql-ws servers use for a credential that is missing or no longer good. */
const SOCKET_UNAUTHORISED = new Set([4401, 4403]);

/**
 * The dashboard's GraphQL client: queries and mutations over HTTP POST with the session's Bearer token,
 * subscriptions over graphql-ws on the same path, authenticated in connectionParams. The WebSocket is opened
 * only when a subscription starts, so it can never hold up a query; it reconnects with a fresh token.
 */
export function createGraphQLClient(): Client {
  let ws: WsClient | undefined;
  const websocket = () => {
    ws ??= createWsClient({
      url: websocketUrl,
      lazy: true,
      lazyCloseTimeout: 3_000,
      retryAttempts: 5,
      shouldRetry: () => currentSession().status === "signed-in",
      connectionParams: async () => credentials(await freshAccessToken()),
      on: {
        closed: (event) => {
          const code = (event as { code?: number }).code;
          if (code !== undefined && SOCKET_UNAUTHORISED.has(code)) void sessionRejected().catch(() => {});
        },
      },
    });
    return ws;
  };

  return new Client({
    url: GRAPHQL_PATH,
    // POST keeps every query clear of Apollo's CSRF checks on GET and of URL length limits.
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const session = currentSession();
          return utils.appendHeaders(
            operation,
            credentials(session.status === "signed-in" ? session.accessToken : null),
          );
        },
        willAuthError: () => tokenExpiresSoon(),
        didAuthError: (error) => error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED"),
        async refreshAuth() {
          await sessionRejected().catch(() => null);
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const unsubscribe = websocket().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
