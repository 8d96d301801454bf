import type { ApolloServerPlugin } from "@apollo/server";
import type { Metrics } from "../platform/metrics";

/** Times each GraphQL operation by name and type, and counts the errors it returned by code. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, errors }) {
          metrics.graphqlDuration.observe(
            { operation: operationName ?? "anonymous", type: operation?.operation ?? "unknown" },
            (performance.now() - started) / 1000,
          );
          for (const error of errors ?? [])
            metrics.graphqlErrors.inc({ code: String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR") });
        },
      };
    },
  };
}
