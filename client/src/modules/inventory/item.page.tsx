import { useState } from "react";
import { useQuery } from "urql";
import { Link } from "../../app/router";
import { graphql } from "../../gql";
import type { ActorType } from "../../gql/graphql";
import { Badge } from "../../ui/badge";
import { ErrorMessage } from "../../ui/error-message";
import { formatAge, formatCount, formatDateTime, formatMoney, humanize } from "../../ui/format";
import { Spinner } from "../../ui/spinner";
import { ExportMenu, filterParams } from "../exports";
import { useCan } from "../session";
import { ListingStatusLabel, StockLevelBadge } from "./components/stock-level-badge";
import "./inventory-pages.css";

const ItemPageQuery = graphql(`
  query ItemPage($id: ID!) {
    inventoryItem(id: $id) {
      id
      sku
      asin
      title
      brand
      category
      fulfillmentChannel
      condition
      quantity
      reservedQuantity
      availableQuantity
      inboundQuantity
      unfulfillableQuantity
      price
      currency
      status
      stockLevel
      isBestseller
      salesRank
      updatedAt
      listings {
        id
        platform
        quantity
        price
        currency
        status
        lastConfirmedAt
        freshnessSeconds
        connection {
          id
          name
        }
      }
      openConflicts {
        id
        type
        field
        createdAt
      }
      openAlerts {
        id
        priority
        title
        createdAt
      }
    }
  }
`);

const ItemHistoryQuery = graphql(`
  query ItemHistory($sku: String!, $after: String) {
    syncHistory(filter: { sku: $sku }, first: 25, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        createdAt
        field
        platform
        oldValue
        newValue
        actorType
        reason
        job {
          id
          type
          trigger
        }
      }
    }
  }
`);

const ACTORS: Record<ActorType, string> = {
  USER: "A person",
  API_KEY: "An API key",
  JOB: "A sync",
  WEBHOOK: "A marketplace notification",
  SYSTEM: "The system",
};

const shown = (value: unknown) => (value === null || value === undefined ? "–" : String(value));

/** One item on one page: our record, every platform's listing, what is open about it, and its history. */
export function ItemPage({ id }: { id: string }) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ItemPageQuery, variables: { id } });
  const item = data?.inventoryItem;
  if (error)
    return <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (!item)
    return fetching || !data ? (
      <Spinner label="Loading the item" />
    ) : (
      <section className="empty-state">
        <h1>No such item</h1>
        <p>
          It may have been removed. <Link href="/inventory">Back to the inventory</Link>.
        </p>
      </section>
    );
  const sku = encodeURIComponent(item.sku);
  return (
    <section className="page item-page" aria-labelledby="item-heading">
      <p className="muted">
        <Link href="/inventory">Inventory</Link> / {item.sku}
      </p>
      <header className="page-header">
        <div>
          <h1 id="item-heading">
            {item.isBestseller ? <span className="bestseller">★ </span> : null}
            {item.title}
          </h1>
          <p className="page-subtitle">
            <span className="sku">{item.sku}</span>
            {item.asin ? ` · ${item.asin}` : ""}
            {[item.brand, item.category].filter(Boolean).map((v) => ` · ${v}`)}
            {item.salesRank ? ` · sales rank #${formatCount(item.salesRank)}` : ""}
          </p>
        </div>
        <div className="item-badges">
          <Badge tone={item.fulfillmentChannel === "FBA" ? "info" : "neutral"}>
            {item.fulfillmentChannel}
          </Badge>
          <ListingStatusLabel status={item.status} />
          <StockLevelBadge level={item.stockLevel} />
        </div>
      </header>

      <div className="item-layout">
        <section className="panel" aria-labelledby="item-record">
          <h2 id="item-record">Our record</h2>
          <dl className="item-facts" data-testid="item-record">
            {(
              [
                ["Quantity", formatCount(item.quantity)],
                ["Reserved", formatCount(item.reservedQuantity)],
                ["Available", formatCount(item.availableQuantity)],
                ["Inbound", formatCount(item.inboundQuantity)],
                ["Unfulfillable", formatCount(item.unfulfillableQuantity)],
                ["Price", formatMoney(item.price, item.currency)],
                ["Condition", humanize(item.condition)],
                ["Changed", formatDateTime(item.updatedAt)],
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section className="panel" aria-labelledby="item-listings">
          <h2 id="item-listings">Listings</h2>
          {item.listings.length ? (
            <div className="table-wrap">
              <table className="data-table table-cards" aria-label="Listings">
                <thead>
                  <tr>
                    <th scope="col">Platform</th>
                    <th scope="col" className="num">
                      Quantity
                    </th>
                    <th scope="col" className="num">
                      Price
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Last confirmed</th>
                  </tr>
                </thead>
                <tbody>
                  {item.listings.map((l) => (
                    <tr key={l.id} data-platform={l.platform}>
                      <td>{l.connection.name}</td>
                      <td className="num" data-label="Quantity">
                        {formatCount(l.quantity)}
                      </td>
                      <td className="num" data-label="Price">
                        {formatMoney(l.price, l.currency)}
                      </td>
                      <td data-label="Status">
                        <ListingStatusLabel status={l.status} />
                      </td>
                      <td className="muted" data-label="Last confirmed">
                        {l.lastConfirmedAt && l.freshnessSeconds !== null && l.freshnessSeconds !== undefined
                          ? `${formatAge(l.freshnessSeconds)} ago`
                          : "never"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">Not listed on any platform.</p>
          )}
        </section>

        <section className="panel" aria-labelledby="item-open">
          <h2 id="item-open">Open</h2>
          {item.openConflicts.length === 0 && item.openAlerts.length === 0 ? (
            <p className="muted">No open conflict or alert.</p>
          ) : null}
          {item.openConflicts.length ? (
            <p>
              <Link href={`/conflicts?sku=${sku}`}>
                {item.openConflicts.length} open {item.openConflicts.length === 1 ? "conflict" : "conflicts"}
              </Link>{" "}
              ({item.openConflicts.map((c) => humanize(c.field)).join(", ")})
            </p>
          ) : null}
          {item.openAlerts.length ? (
            <ul className="item-alerts">
              {item.openAlerts.map((a) => (
                <li key={a.id}>
                  <Badge tone={a.priority === "CRITICAL" || a.priority === "HIGH" ? "danger" : "warning"}>
                    {humanize(a.priority)}
                  </Badge>{" "}
                  <Link href={`/alerts?sku=${sku}`}>{a.title}</Link>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>
      <ItemTimeline sku={item.sku} />
    </section>
  );
}

/** The item's history, newest first: who or what changed which field on which platform, old -> new. */
function ItemTimeline({ sku }: { sku: string }) {
  const canRead = useCan("read_history");
  const [pages, setPages] = useState<Array<string | null>>([null]);
  if (!canRead) return null;
  return (
    <section className="panel" aria-labelledby="item-history">
      <div className="head-row">
        <h2 id="item-history">History</h2>
        <ExportMenu list="history" params={() => filterParams({ sku })} />
      </div>
      <ol className="timeline" aria-label="History">
        {pages.map((after, i) => (
          <TimelinePage
            key={after ?? "first"}
            sku={sku}
            after={after}
            last={i === pages.length - 1}
            onMore={(cursor) => setPages((p) => [...p, cursor])}
          />
        ))}
      </ol>
    </section>
  );
}

function TimelinePage(props: {
  sku: string;
  after: string | null;
  last: boolean;
  onMore(cursor: string): void;
}) {
  const [{ data, error }] = useQuery({
    query: ItemHistoryQuery,
    variables: { sku: props.sku, after: props.after },
  });
  if (error) return <ErrorMessage error={error} />;
  const history = data?.syncHistory;
  if (!history) return <Spinner label="Loading history" />;
  return (
    <>
      {history.nodes.length === 0 && props.after === null ? (
        <li className="muted">No change recorded yet.</li>
      ) : null}
      {history.nodes.map((h) => (
        <li key={h.id} data-field={h.field}>
          <span className="timeline-when">{formatDateTime(h.createdAt)}</span>
          <span className="timeline-what">
            <strong>{humanize(h.field)}</strong>
            {h.platform ? ` on ${humanize(h.platform)}` : ""}: <code>{shown(h.oldValue)}</code> →{" "}
            <code data-testid="new-value">{shown(h.newValue)}</code>
          </span>
          <span className="timeline-who muted">
            {ACTORS[h.actorType]}
            {h.job ? (
              <>
                {" "}
                · <Link href={`/sync?job=${h.job.id}`}>{humanize(h.job.trigger)} job</Link>
              </>
            ) : null}
            {h.reason ? ` · ${h.reason}` : ""}
          </span>
        </li>
      ))}
      {props.last && history.pageInfo.hasNextPage && history.pageInfo.endCursor ? (
        <li>
          <button type="button" className="button" onClick={() => props.onMore(history.pageInfo.endCursor!)}>
            Older changes
          </button>
        </li>
      ) : null}
    </>
  );
}
