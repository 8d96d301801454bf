import type { PlatformKind, SyncJobStatus, SyncJobType, SyncTrigger } from "../../gql/graphql";
import type { Tone } from "../../ui/badge";

// Records keyed by the generated unions: a value added to the schema fails type-checking until labelled here.

export const JOB_STATUS: Record<SyncJobStatus, { label: string; tone: Tone }> = {
  PENDING: { label: "Pending", tone: "neutral" },
  FETCHING: { label: "Fetching", tone: "info" },
  COMPARING: { label: "Comparing", tone: "info" },
  APPLYING: { label: "Applying", tone: "accent" },
  SUCCEEDED: { label: "Succeeded", tone: "success" },
  FAILED: { label: "Failed", tone: "danger" },
  CANCELLED: { label: "Cancelled", tone: "neutral" },
};

export const JOB_TYPE: Record<SyncJobType, { label: string; hint: string }> = {
  FULL: { label: "Full", hint: "Every SKU on every chosen platform." },
  PARTIAL: { label: "Partial", hint: "Only the SKUs you list." },
  INCREMENTAL: { label: "Incremental", hint: "What changed since the last sync." },
};

export const TRIGGER_LABELS: Record<SyncTrigger, string> = {
  MANUAL: "Manual",
  SCHEDULE: "Schedule",
  WEBHOOK: "Webhook",
  BULK_UPDATE: "Bulk update",
  RESOLUTION: "Conflict resolution",
};

export const PLATFORM_LABELS: Record<PlatformKind, string> = {
  AMAZON: "Amazon",
  MEDUSA: "Medusa",
  SHOPIFY: "Shopify",
  EBAY: "eBay",
  WOOCOMMERCE: "WooCommerce",
  CUSTOM: "Custom",
};

export function platformLabel(kind: string): string {
  return PLATFORM_LABELS[kind as PlatformKind] ?? kind;
}
