import "reflect-metadata";
import "../graphql/enums";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { AlertMutationsResolver, AlertResolver, InventoryAlertsResolver } from "../modules/alerts";
import { BulkUpdateResolver, InventoryResolver, ListingResolver } from "../modules/catalog";
import {
  ConflictResolutionResolver,
  ConflictResolver,
  InventoryConflictsResolver,
} from "../modules/conflicts";
import {
  ListingConnectionResolver,
  PlatformConnectionResolver,
  SyncSettingsResolver,
} from "../modules/connections";
import { SyncHistoryResolver } from "../modules/history";
import { SyncJobResolver, SyncProgressResolver } from "../modules/sync";
import { NodeResolver } from "./node.resolver";

/** The whole GraphQL schema, from every module's resolvers; subscriptions listen on `pubSub`. */
export function buildAppSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      NodeResolver,
      InventoryResolver,
      ListingResolver,
      ListingConnectionResolver,
      PlatformConnectionResolver,
      SyncJobResolver,
      SyncProgressResolver,
      ConflictResolver,
      InventoryConflictsResolver,
      AlertResolver,
      InventoryAlertsResolver,
      AlertMutationsResolver,
      SyncHistoryResolver,
      BulkUpdateResolver,
      ConflictResolutionResolver,
      SyncSettingsResolver,
    ],
    validate: false,
    pubSub,
  });
}

/** The SDL committed as server/schema.graphql, sorted so a diff shows only real changes. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
