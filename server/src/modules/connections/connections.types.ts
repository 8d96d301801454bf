import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type {
  PlatformConnection as ConnectionRow,
  Prisma,
  PlatformSyncSettings as SettingsRow,
} from "../../generated/prisma/client";
import { RequireScope } from "../../graphql/access";
import { ConflictStrategy, HealthStatus, PlatformKind } from "../../graphql/enums";
import { UserError } from "../../graphql/errors";
import { Node } from "../../graphql/node";
import { DateTimeScalar, JSONScalar, PercentScalar } from "../../graphql/scalars";
import { Scope } from "../../platform/auth/scopes";

@ObjectType({ implements: Node, description: "The tenant's account on one marketplace." })
export class PlatformConnection
  extends Node
  implements Omit<ConnectionRow, "id" | "tenantId" | "credentialsEncrypted">
{
  @Field(() => PlatformKind)
  kind!: PlatformKind;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Int, { description: "Lower wins when conflicts resolve by SOURCE_WINS." })
  priority!: number;

  @Field(() => String, { nullable: true })
  region!: string | null;

  @Field(() => String, { nullable: true })
  marketplaceId!: string | null;

  @Field(() => String, { nullable: true })
  sellerId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The API base URL when it is not the marketplace's own.",
  })
  endpoint!: string | null;

  @RequireScope(Scope.read_credentials)
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When credentials were last written. Credentials themselves are never readable.",
  })
  credentialsUpdatedAt!: Date | null;

  @Field(() => Int, { description: "Percentage of available stock published on this platform." })
  stockPercentage!: number;

  @Field(() => Int, { description: "Units held back from this platform." })
  stockBuffer!: number;

  @Field(() => Int, { nullable: true, description: "Most units ever published on this platform." })
  stockMax!: number | null;

  @Field(() => HealthStatus)
  lastHealthStatus!: HealthStatus;

  @Field(() => DateTimeScalar, { nullable: true })
  lastHealthAt!: Date | null;

  @Field(() => Int, { nullable: true })
  lastHealthLatencyMs!: number | null;

  @Field(() => String, { nullable: true })
  lastHealthError!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@InputType()
export class PlatformConnectionFilter {
  @Field(() => [PlatformKind], { nullable: true })
  kind?: PlatformKind[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => [HealthStatus], { nullable: true })
  health?: HealthStatus[] | null;
}

@ObjectType({ description: "How and when the tenant's platforms are kept in step." })
export class PlatformSyncSettings implements Omit<SettingsRow, "id" | "tenantId" | "maxPriceVariancePct"> {
  @Field(() => Boolean)
  autoSync!: boolean;

  @Field(() => Int)
  syncIntervalMinutes!: number;

  @Field(() => ConflictStrategy)
  conflictStrategy!: ConflictStrategy;

  @Field(() => Int, { description: "Available at or below this is low stock." })
  lowStockThreshold!: number;

  @Field(() => Int, { description: "Available at or below this is out of stock." })
  outOfStockThreshold!: number;

  @Field(() => PercentScalar, { description: "Price differences above this percentage raise an alert." })
  maxPriceVariancePct!: Prisma.Decimal;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export enum ConnectionAuthResult {
  OK = "OK",
  FAILED = "FAILED",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(ConnectionAuthResult, { name: "ConnectionAuthResult" });

export enum CircuitState {
  CLOSED = "CLOSED",
  OPEN = "OPEN",
  HALF_OPEN = "HALF_OPEN",
}
registerEnumType(CircuitState, {
  name: "CircuitState",
  description: "The connection's circuit breaker: OPEN fails fast after repeated errors.",
});

@ObjectType({ description: "What calling the marketplace just now found." })
export class PlatformConnectionTestResult {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => ConnectionAuthResult)
  auth!: ConnectionAuthResult;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => CircuitState)
  circuit!: CircuitState;

  @Field(() => PlatformConnection, { description: "The connection with its last health updated." })
  connection!: PlatformConnection;
}

@InputType({ description: "Fields left out are left as they are. Credentials are write-only." })
export class UpdatePlatformConnectionInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => Int, { nullable: true, description: "0 to 1000; lower wins under SOURCE_WINS." })
  priority?: number | null;

  @Field(() => String, { nullable: true, description: "Amazon: NA, EU or FE." })
  region?: string | null;

  @Field(() => String, { nullable: true })
  marketplaceId?: string | null;

  @Field(() => String, { nullable: true })
  sellerId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "API base URL; empty string for the marketplace's own.",
  })
  endpoint?: string | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      "Amazon: { clientId, clientSecret, refreshToken, lwaEndpoint? }. Medusa: { apiKey, locationId? }. Stored encrypted, never returned.",
  })
  credentials?: unknown;

  @Field(() => Int, { nullable: true })
  stockPercentage?: number | null;

  @Field(() => Int, { nullable: true })
  stockBuffer?: number | null;

  @Field(() => Int, { nullable: true })
  stockMax?: number | null;
}

@ObjectType()
export class UpdatePlatformConnectionPayload {
  @Field(() => PlatformConnection, {
    nullable: true,
    description: "The connection as saved; null when nothing was saved.",
  })
  connection!: PlatformConnection | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ReorderPlatformConnectionsPayload {
  @Field(() => [PlatformConnection], {
    description: "Every connection in its new order (first wins); empty when nothing was saved.",
  })
  connections!: PlatformConnection[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}
