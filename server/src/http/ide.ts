import fastifyStatic from "@fastify/static";
import { getDistDirectory, renderAltair } from "altair-static";
import type { FastifyInstance, FastifyRequest } from "fastify";

const ASSETS = "/ide/";

/** Whether a GET on the GraphQL path comes from a person's browser rather than a GraphQL client. */
export function wantsIde(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return request.method === "GET" && !query?.query && (request.headers.accept ?? "").includes("text/html");
}

/** An in-browser GraphQL IDE (Altair), served from local files so it works offline. */
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
    disableAccount: true,
  });
  return page;
}
