import { randomBytes } from "node:crypto";
import fastifyStatic from "@fastify/static";
import { getDistDirectory, renderAltair } from "altair-static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const ASSETS = "/ide/";

/** Whether a GET on the GraphQL path comes from a person's browser rather than a GraphQL client. */
export function wantsIde(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return request.method === "GET" && !query?.query && (request.headers.accept ?? "").includes("text/html");
}

/**
 * An in-browser GraphQL IDE (Altair), served from local files so it works offline. Its one inline script runs
 * under a per-response nonce; calls need a token, set in its headers pane (`Authorization: Bearer …`).
 */
export async function registerIde(app: FastifyInstance, graphqlPath: string) {
  await app.register(fastifyStatic, { root: getDistDirectory(), prefix: ASSETS, decorateReply: false });
  const page = renderAltair({
    baseURL: ASSETS,
    endpointURL: graphqlPath,
    subscriptionsEndpoint: graphqlPath,
    subscriptionsProtocol: "graphql-ws",
    initialQuery: `# Try: the first ten items with their listings on every platform
query FirstItems {
  inventory(first: 10, orderBy: { field: TITLE, direction: ASC }) {
    totalCount
    nodes { sku asin title quantity availableQuantity price stockLevel
      listings { platform quantity price status lastConfirmedAt } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    initialHeaders: { Authorization: "Bearer <an API key, or the access token of a signed-in session>" },
    disableAccount: true,
  });
  return {
    send(reply: FastifyReply) {
      const nonce = randomBytes(16).toString("base64");
      return reply
        .type("text/html")
        .header(
          "content-security-policy",
          `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
            "frame-ancestors 'none'; base-uri 'self'",
        )
        .send(page.replaceAll('nonce=""', `nonce="${nonce}"`));
    },
  };
}
