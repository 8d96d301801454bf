import { Link } from "../../../app/router";
import { type FragmentType, graphql, useFragment } from "../../../gql";
import { Badge } from "../../../ui/badge";
import { formatCount, formatMoney, humanize } from "../../../ui/format";
import type { RowProblem } from "./bulk-edit-panel";
import type { PlatformColumn } from "./inventory-table";
import { ListingCell, MissingListingCell } from "./listing-cell";
import { ListingStatusLabel, StockLevelBadge } from "./stock-level-badge";

export const InventoryRowFragment = graphql(`
  fragment InventoryRow_item on InventoryItem {
    id
    sku
    asin
    title
    brand
    category
    fulfillmentChannel
    quantity
    reservedQuantity
    availableQuantity
    inboundQuantity
    price
    currency
    status
    stockLevel
    isBestseller
    salesRank
    listings {
      id
      connection {
        id
      }
      ...ListingCell_listing
    }
    openConflicts {
      id
      type
      field
    }
    openAlerts {
      id
      priority
      title
    }
  }
`);

/** One SKU: Amazon's numbers first, then its listing on every connected platform side by side. */
export function InventoryRow(props: {
  item: FragmentType<typeof InventoryRowFragment>;
  columns: PlatformColumn[];
  /** `range`: a Shift-click, for every row from the last one ticked to this one. */
  selection?: {
    skus: ReadonlySet<string>;
    onToggle(skus: string[], selected: boolean, range?: boolean): void;
  };
  /** What the last bulk change refused for this row. */
  problems?: readonly RowProblem[];
}) {
  const item = useFragment(InventoryRowFragment, props.item);
  const reference = {
    available: item.availableQuantity,
    price: item.price ?? null,
    currency: item.currency,
    status: item.status,
  };
  const listingByConnection = new Map(item.listings.map((l) => [l.connection.id, l]));
  const conflicts = item.openConflicts.length;
  const alerts = item.openAlerts.length;
  const critical = item.openAlerts.some((a) => a.priority === "CRITICAL");

  return (
    <tr data-sku={item.sku} className={item.stockLevel === "OUT_OF_STOCK" ? "row-out" : undefined}>
      {props.selection ? (
        <td className="cell-select">
          <input
            type="checkbox"
            aria-label={`Select ${item.sku}`}
            checked={props.selection.skus.has(item.sku)}
            // A checkbox's change comes from its click, which carries the Shift key.
            onChange={(e) =>
              props.selection?.onToggle([item.sku], e.target.checked, (e.nativeEvent as MouseEvent).shiftKey)
            }
          />
        </td>
      ) : null}
      <td className="cell-sku">
        <Link href={`/inventory/${encodeURIComponent(item.id)}`} className="sku">
          {item.sku}
        </Link>
        {item.asin ? <span className="asin">{item.asin}</span> : null}
        {props.problems?.map((p) => (
          <span key={p.code} className="field-error row-problem" data-code={p.code}>
            {p.message} <code className="error-code">{p.code}</code>
          </span>
        ))}
      </td>
      <td className="cell-product">
        <div className="product-title" title={item.title}>
          {item.isBestseller ? (
            <span
              className="bestseller"
              role="img"
              aria-label="Bestseller"
              title={item.salesRank ? `Bestseller, sales rank #${formatCount(item.salesRank)}` : "Bestseller"}
            >
              ★
            </span>
          ) : null}
          {item.title}
        </div>
        <div className="product-meta">
          {[item.brand, item.category].filter(Boolean).join(" · ")}
          {item.salesRank ? <span className="rank">#{formatCount(item.salesRank)}</span> : null}
        </div>
      </td>
      <td className="col-optional" data-label="Channel">
        <Badge tone={item.fulfillmentChannel === "FBA" ? "info" : "neutral"}>{item.fulfillmentChannel}</Badge>
      </td>
      <td data-label="Status">
        <ListingStatusLabel status={item.status} />
      </td>
      <td className="cell-stock" data-label="Stock">
        <StockLevelBadge level={item.stockLevel} />
      </td>
      <td className="num" data-label="Qty">
        {formatCount(item.quantity)}
      </td>
      <td className="num muted col-optional" data-label="Reserved">
        {formatCount(item.reservedQuantity)}
      </td>
      <td className="num strong" data-label="Available">
        {formatCount(item.availableQuantity)}
      </td>
      <td className="num muted col-optional" data-label="Inbound">
        {item.inboundQuantity ? formatCount(item.inboundQuantity) : "–"}
      </td>
      <td className="num" data-label="Price">
        {formatMoney(item.price, item.currency)}
      </td>
      {props.columns.map((column) => {
        const listing = listingByConnection.get(column.id);
        return listing ? (
          <ListingCell
            key={column.id}
            listing={listing}
            reference={reference}
            isReference={column.kind === "AMAZON"}
            label={column.name}
          />
        ) : (
          <MissingListingCell key={column.id} label={column.name} />
        );
      })}
      <td className="cell-issues" data-label="Issues">
        {conflicts ? (
          <Link href={`/conflicts?sku=${encodeURIComponent(item.sku)}`} className="issue-link">
            <Badge
              tone="warning"
              title={item.openConflicts.map((c) => `${humanize(c.type)} conflict on ${c.field}`).join("\n")}
            >
              {conflicts} {conflicts === 1 ? "conflict" : "conflicts"}
            </Badge>
          </Link>
        ) : null}
        {alerts ? (
          <Link href={`/alerts?sku=${encodeURIComponent(item.sku)}`} className="issue-link">
            <Badge
              tone={critical ? "danger" : "accent"}
              title={item.openAlerts.map((a) => a.title).join("\n")}
            >
              {alerts} {alerts === 1 ? "alert" : "alerts"}
            </Badge>
          </Link>
        ) : null}
      </td>
    </tr>
  );
}
