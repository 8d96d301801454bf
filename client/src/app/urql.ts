import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";

export const GRAPHQL_PATH = "/graphql";

function websocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}${GRAPHQL_PATH}`;
}

/**
 * The dashboard's GraphQL client: queries and mutations over HTTP POST, subscriptions over graphql-ws on
 * the same path. The WebSocket is opened only when a subscription starts, so it can never hold up a query.
 */
export function createGraphQLClient(): Client {
  let ws: WsClient | undefined;
  const websocket = () => {
    ws ??= createWsClient({
      url: websocketUrl,
      lazy: true,
      lazyCloseTimeout: 3_000,
      retryAttempts: 5,
      shouldRetry: () => true,
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
