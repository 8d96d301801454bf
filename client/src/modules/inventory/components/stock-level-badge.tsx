import type { ListingStatus, StockLevel } from "../../../gql/graphql";
import { Badge, type Tone } from "../../../ui/badge";
import { LISTING_STATUS_LABELS, STOCK_LEVEL_LABELS } from "../labels";

const STOCK_TONES: Record<StockLevel, Tone> = {
  IN_STOCK: "success",
  LOW_STOCK: "warning",
  OUT_OF_STOCK: "danger",
};

export function StockLevelBadge({ level }: { level: StockLevel }) {
  return <Badge tone={STOCK_TONES[level]}>{STOCK_LEVEL_LABELS[level]}</Badge>;
}

const STATUS_TONES: Record<ListingStatus, Tone> = {
  ACTIVE: "success",
  INACTIVE: "neutral",
  INCOMPLETE: "warning",
  SUPPRESSED: "danger",
  DELETED: "neutral",
};

export function ListingStatusLabel({ status }: { status: ListingStatus }) {
  return (
    <span className={`status status-${STATUS_TONES[status]}`}>
      <span className="status-dot" aria-hidden="true" />
      {LISTING_STATUS_LABELS[status]}
    </span>
  );
}
