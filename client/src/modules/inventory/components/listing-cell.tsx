import { type FragmentType, graphql, useFragment } from "../../../gql";
import type { ListingStatus } from "../../../gql/graphql";
import {
  compareDecimal,
  formatAge,
  formatCount,
  formatDateTime,
  formatMoney,
  percentChange,
  subtractDecimal,
} from "../../../ui/format";
import { ListingStatusLabel } from "./stock-level-badge";

export const ListingCellFragment = graphql(`
  fragment ListingCell_listing on Listing {
    id
    platform
    quantity
    price
    currency
    status
    lastConfirmedAt
    freshnessSeconds
  }
`);

/** Amazon's own numbers for the item, which every other platform is compared with. */
export interface AmazonReference {
  available: number;
  price: string | null;
  currency: string;
  status: ListingStatus;
}

// A value confirmed within 15 minutes is fresh; older than a day it is stale.
const FRESH_SECONDS = 15 * 60;
const STALE_SECONDS = 24 * 60 * 60;

function Freshness({
  seconds,
  confirmedAt,
}: {
  seconds: number | null | undefined;
  confirmedAt?: string | null;
}) {
  if (seconds == null) {
    return (
      <span className="freshness freshness-never" title="The platform has never confirmed these values">
        unconfirmed
      </span>
    );
  }
  const tone = seconds <= FRESH_SECONDS ? "fresh" : seconds <= STALE_SECONDS ? "aging" : "stale";
  return (
    <span
      className={`freshness freshness-${tone}`}
      title={confirmedAt ? `Confirmed ${formatDateTime(confirmedAt)}` : undefined}
    >
      {formatAge(seconds)} ago
    </span>
  );
}

function isLive(status: ListingStatus) {
  return status === "ACTIVE";
}

/** One platform's quantity, price, status and freshness for one item, marked where it differs from Amazon. */
export function ListingCell(props: {
  listing: FragmentType<typeof ListingCellFragment>;
  reference: AmazonReference;
  /** This is Amazon's own listing: nothing to compare with. */
  isReference: boolean;
  /** The column's name, shown beside the cell where rows are cards. */
  label: string;
}) {
  const listing = useFragment(ListingCellFragment, props.listing);
  const { reference } = props;

  const quantityDiffers = !props.isReference && listing.quantity !== reference.available;
  const priceDiffers =
    !props.isReference &&
    (listing.price == null || reference.price == null
      ? listing.price !== reference.price
      : compareDecimal(listing.price, reference.price) !== 0);
  const statusDiffers = !props.isReference && isLive(listing.status) !== isLive(reference.status);
  const differences = [
    quantityDiffers && "quantity",
    priceDiffers && "price",
    statusDiffers && "status",
  ].filter(Boolean);

  let priceNote: string | undefined;
  if (priceDiffers && listing.price != null && reference.price != null) {
    const delta = subtractDecimal(listing.price, reference.price);
    const pct = percentChange(reference.price, listing.price);
    priceNote = `Amazon ${formatMoney(reference.price, reference.currency)}; ${
      delta ? formatMoney(delta, listing.currency, true) : ""
    }${pct != null ? ` (${pct > 0 ? "+" : ""}${pct.toFixed(1)}%)` : ""}`;
  }

  return (
    <td
      className={`listing-cell${differences.length ? " differs" : ""}`}
      data-label={props.label}
      data-differs={differences.join(" ") || undefined}
    >
      <div className="listing-values">
        <span
          className={`listing-qty num${quantityDiffers ? " diff" : ""}`}
          title={quantityDiffers ? `Amazon has ${formatCount(reference.available)} available` : "Quantity"}
        >
          {formatCount(listing.quantity)}
        </span>
        <span className={`listing-price num${priceDiffers ? " diff" : ""}`} title={priceNote ?? "Price"}>
          {formatMoney(listing.price, listing.currency)}
        </span>
      </div>
      <div className="listing-meta">
        <span className={statusDiffers ? "diff" : undefined}>
          <ListingStatusLabel status={listing.status} />
        </span>
        <Freshness seconds={listing.freshnessSeconds} confirmedAt={listing.lastConfirmedAt} />
      </div>
      {differences.length ? (
        <span className="visually-hidden">Differs from Amazon: {differences.join(", ")}</span>
      ) : null}
    </td>
  );
}

export function MissingListingCell(props: { label: string }) {
  return (
    <td className="listing-cell listing-missing" data-label={props.label}>
      <span className="muted">Not listed</span>
    </td>
  );
}
