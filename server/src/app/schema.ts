import "reflect-metadata";
import "../graphql/enums";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AlertMutationsResolver, AlertResolver, InventoryAlertsResolver } from "../modules/alerts";
import { InventoryResolver, ListingResolver } from "../modules/catalog";
import { ConflictResolver, InventoryConflictsResolver } from "../modules/conflicts";
import { ListingConnectionResolver, PlatformConnectionResolver } from "../modules/connections";
import { SyncHistoryResolver } from "../modules/history";
import { SyncJobResolver } from "../modules/sync";
import { NodeResolver } from "./node.resolver";

/** The whole GraphQL schema, from every module's resolvers. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      NodeResolver,
      InventoryResolver,
      ListingResolver,
      ListingConnectionResolver,
      PlatformConnectionResolver,
      SyncJobResolver,
      ConflictResolver,
      InventoryConflictsResolver,
      AlertResolver,
      InventoryAlertsResolver,
      AlertMutationsResolver,
      SyncHistoryResolver,
    ],
    validate: false,
  });
}

/** The SDL committed as server/schema.graphql, sorted so a diff shows only real changes. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
