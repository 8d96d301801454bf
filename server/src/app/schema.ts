import "reflect-metadata";
import "../graphql/enums";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { authChecker, documentAccess } from "../graphql/access";
import { AlertMutationsResolver, AlertResolver, InventoryAlertsResolver } from "../modules/alerts";
import { AnalyticsResolver } from "../modules/analytics";
import { AuditResolver } from "../modules/audit";
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
import { HistoryRetentionResolver, SyncHistoryResolver } from "../modules/history";
import {
  ApiKeyResolver,
  IdentityResolver,
  InvitationResolver,
  TeamResolver,
  UserResolver,
} from "../modules/identity";
import { MailDeliveryResolver } from "../modules/mail";
import { NotificationResolver } from "../modules/notifications";
import { SyncJobResolver, SyncProgressResolver } from "../modules/sync";
import {
  WebhookConnectionResolver,
  WebhookEndpointResolver,
  WebhookMutationResolver,
} from "../modules/webhooks";
import { NodeResolver } from "./node.resolver";

/**
 * The whole GraphQL schema, from every module's resolvers; subscriptions listen on `pubSub`. Every root field
 * declares who may call it (graphql/access), and its description says so.
 */
export async function buildAppSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      IdentityResolver,
      TeamResolver,
      InvitationResolver,
      UserResolver,
      ApiKeyResolver,
      AuditResolver,
      NodeResolver,
      AnalyticsResolver,
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
      NotificationResolver,
      MailDeliveryResolver,
      SyncHistoryResolver,
      HistoryRetentionResolver,
      BulkUpdateResolver,
      ConflictResolutionResolver,
      SyncSettingsResolver,
      WebhookConnectionResolver,
      WebhookEndpointResolver,
      WebhookMutationResolver,
    ],
    validate: false,
    pubSub,
    authChecker,
    authMode: "error",
  });
  return documentAccess(schema);
}

/** The SDL committed as server/schema.graphql, sorted so a diff shows only real changes. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
