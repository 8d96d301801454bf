import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { graphql } from "../../gql";
import type { MailDeliveryStatus, MailKind } from "../../gql/graphql";
import { Badge, type Tone } from "../../ui/badge";
import { ErrorMessage } from "../../ui/error-message";
import { FilterSelect } from "../../ui/filter-select";
import { formatCount, formatDateTime } from "../../ui/format";
import { Pager } from "../../ui/pager";
import "./mail-deliveries.css";

const MailDeliveriesQuery = graphql(`
  query MailDeliveries($first: Int, $after: String, $last: Int, $before: String, $filter: MailDeliveryFilter) {
    mailDeliveries(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        kind
        to
        subject
        status
        attempts
        lastError
        nextAttemptAt
        createdAt
        sentAt
      }
    }
  }
`);

const PAGE_SIZES = [10, 25, 50];
const STATUS_TONE: Record<MailDeliveryStatus, Tone> = {
  SENT: "success",
  PENDING: "warning",
  FAILED: "danger",
};
const STATUS_LABEL: Record<MailDeliveryStatus, string> = {
  SENT: "Sent",
  PENDING: "Pending",
  FAILED: "Failed",
};
const KIND_LABEL: Record<MailKind, string> = {
  NOTIFICATION: "Alert",
  DIGEST: "Digest",
  INVITATION: "Invitation",
  PASSWORD_RESET: "Password reset",
};
const STATUS_CHOICES = (["PENDING", "SENT", "FAILED"] as const).map((value) => ({
  value,
  label: STATUS_LABEL[value],
}));
const KIND_CHOICES = (["NOTIFICATION", "DIGEST", "INVITATION", "PASSWORD_RESET"] as const).map((value) => ({
  value,
  label: KIND_LABEL[value],
}));

/** While the page shows a pending message, the log asks again this often (the sender retries with backoff). */
const PENDING_POLL_MS = 5000;

interface PageAt {
  index: number;
  after?: string;
  before?: string;
}

/**
 * The email delivery log: each message with its status, attempts and last error, newest first. A user sees the
 * mail addressed to them; owners and admins (the audit scope) see every message of the tenant.
 */
export function MailDeliveries() {
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]!);
  const [status, setStatus] = useState<MailDeliveryStatus>();
  const [kind, setKind] = useState<MailKind>();
  const [at, setAt] = useState<PageAt>({ index: 0 });
  const filter =
    status || kind ? { ...(status ? { status: [status] } : {}), ...(kind ? { kind: [kind] } : {}) } : null;
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: MailDeliveriesQuery,
    variables: at.before
      ? { last: pageSize, before: at.before, filter }
      : { first: pageSize, after: at.after ?? null, filter },
  });
  const log = data?.mailDeliveries;
  const pending = log?.nodes.some((n) => n.status === "PENDING") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") reexecute({ requestPolicy: "network-only" });
    }, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [pending, reexecute]);
  const restart = () => setAt({ index: 0 });
  const first = at.index * pageSize + 1;
  const summary = log
    ? log.totalCount === 0
      ? "0 messages"
      : `${formatCount(first)}–${formatCount(first + log.nodes.length - 1)} of ${formatCount(log.totalCount)}`
    : "…";

  return (
    <section className="mail-deliveries" aria-labelledby="mail-deliveries-heading">
      <div className="head-row mail-deliveries-head">
        <h2 id="mail-deliveries-heading" className="settings-section">
          Email deliveries
        </h2>
        <div className="mail-deliveries-tools">
          <FilterSelect
            label="Status"
            choices={STATUS_CHOICES}
            value={status}
            onChange={(next) => {
              setStatus(next);
              restart();
            }}
          />
          <FilterSelect
            label="Kind"
            choices={KIND_CHOICES}
            value={kind}
            onChange={(next) => {
              setKind(next);
              restart();
            }}
          />
          <button
            type="button"
            className="button"
            disabled={fetching}
            onClick={() => reexecute({ requestPolicy: "network-only" })}
          >
            Refresh
          </button>
        </div>
      </div>
      <p className="muted">
        The email sent to you (owners and admins: all the email of this account), retried with backoff until
        the mail server accepts it. Bodies are never shown: they may hold one-time links.
        {pending ? ` Pending messages are checked again every ${PENDING_POLL_MS / 1000} seconds.` : ""}
      </p>
      {error ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}
      {!log && fetching ? <DeliveriesSkeleton /> : null}
      {log && log.nodes.length === 0 ? (
        <p className="muted mail-deliveries-empty" data-testid="mail-deliveries-empty">
          {filter ? "No email matches these filters." : "No email has been sent yet."}
        </p>
      ) : null}
      {log && log.nodes.length > 0 ? (
        <div className="table-wrap">
          <table
            className="data-table mail-deliveries-table"
            aria-label="Email deliveries"
            aria-busy={fetching}
          >
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Kind</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {log.nodes.map((d) => (
                <tr key={d.id} data-testid="mail-delivery" data-status={d.status}>
                  <td data-label="Status">
                    <Badge tone={STATUS_TONE[d.status]}>{STATUS_LABEL[d.status]}</Badge>
                  </td>
                  <td data-label="Kind">{KIND_LABEL[d.kind]}</td>
                  <td data-label="To" className="mail-to">
                    {d.to}
                  </td>
                  <td data-label="Subject" className="mail-subject">
                    {d.subject}
                  </td>
                  <td data-label="Attempts" className="num">
                    {d.attempts}
                  </td>
                  <td data-label="Last error" className="mail-error">
                    {d.lastError ?? <span className="muted">—</span>}
                  </td>
                  <td data-label="Time">
                    <time dateTime={d.sentAt ?? d.createdAt}>{formatDateTime(d.sentAt ?? d.createdAt)}</time>
                    {d.nextAttemptAt ? (
                      <div className="muted">Next try {formatDateTime(d.nextAttemptAt)}</div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log && log.totalCount > 0 ? (
        <Pager
          summary={summary}
          pageSize={pageSize}
          pageSizes={PAGE_SIZES}
          hasPrevious={at.index > 0}
          hasNext={log.pageInfo.hasNextPage}
          disabled={fetching}
          onPageSize={(size) => {
            setPageSize(size);
            restart();
          }}
          onFirst={restart}
          onPrevious={() =>
            setAt(
              at.index <= 1
                ? { index: 0 }
                : { index: at.index - 1, before: log.pageInfo.startCursor ?? undefined },
            )
          }
          onNext={() => setAt({ index: at.index + 1, after: log.pageInfo.endCursor ?? undefined })}
        />
      ) : null}
    </section>
  );
}

/** Grey rows where the log will be, while the first page loads. */
function DeliveriesSkeleton() {
  return (
    <div className="mail-deliveries-skeleton" role="progressbar" aria-label="Loading email deliveries">
      {[0, 1, 2].map((i) => (
        <div key={i} className="skeleton-row">
          <span className="skeleton-bar short" />
          <span className="skeleton-bar" />
          <span className="skeleton-bar long" />
        </div>
      ))}
    </div>
  );
}
