import { registerEnumType } from "type-graphql";
import {
  AlertEventKind,
  AlertPriority,
  AlertStatus,
  AlertType,
  ConflictStatus,
  ConflictStrategy,
  ConflictType,
  FulfillmentChannel,
  HealthStatus,
  ItemCondition,
  ListingStatus,
  PlatformKind,
  SyncItemStatus,
  SyncJobStatus,
  SyncJobType,
  SyncTrigger,
} from "../generated/prisma/enums";

// The database's enums are the API's enums: one definition, in schema.prisma.
const enums = {
  AlertEventKind,
  AlertPriority,
  AlertStatus,
  AlertType,
  ConflictStatus,
  ConflictStrategy,
  ConflictType,
  FulfillmentChannel,
  HealthStatus,
  ItemCondition,
  ListingStatus,
  PlatformKind,
  SyncItemStatus,
  SyncJobStatus,
  SyncJobType,
  SyncTrigger,
};
for (const [name, values] of Object.entries(enums)) registerEnumType(values, { name });

export enum SortDirection {
  ASC = "asc",
  DESC = "desc",
}
registerEnumType(SortDirection, { name: "SortDirection" });

export {
  AlertEventKind,
  AlertPriority,
  AlertStatus,
  AlertType,
  ConflictStatus,
  ConflictStrategy,
  ConflictType,
  FulfillmentChannel,
  HealthStatus,
  ItemCondition,
  ListingStatus,
  PlatformKind,
  SyncItemStatus,
  SyncJobStatus,
  SyncJobType,
  SyncTrigger,
};
