import { type FormEvent, useRef, useState } from "react";
import { type OperationResult, useClient, useMutation, useQuery } from "urql";
import { Link } from "../../../app/router";
import { graphql } from "../../../gql";
import type {
  BulkUpdateInventoryMutation,
  InventoryFilter,
  InventorySkusQuery,
  InventoryUpdateInput,
  ListingStatus,
  PlatformKind,
} from "../../../gql/graphql";
import { formatCount } from "../../../ui/format";
import { useToast } from "../../../ui/toast";
import { requestErrors, type UserError, UserErrors } from "../../../ui/user-errors";

const BulkUpdateInventoryDocument = graphql(`
  mutation BulkUpdateInventory($input: BulkUpdateInventoryInput!) {
    bulkUpdateInventory(input: $input) {
      job {
        id
        status
      }
      results {
        index
        sku
        status
        errors {
          field
          code
          message
        }
        skipped {
          platform
          field
          code
          message
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const InventorySkusDocument = graphql(`
  query InventorySkus($filter: InventoryFilter, $first: Int, $after: String) {
    inventory(filter: $filter, orderBy: { field: SKU, direction: ASC }, first: $first, after: $after) {
      totalCount
      nodes {
        id
        sku
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The largest page the inventory query serves, and the most rows one bulkUpdateInventory call takes. */
const SKU_PAGE_SIZE = 250;
const BulkUpdateMaxRowsDocument = graphql(`
  query BulkUpdateMaxRows {
    bulkUpdateMaxRows
  }
`);

/** The most rows one call takes unless the server says fewer (BULK_UPDATE_MAX_ROWS). */
const DEFAULT_CHUNK_SIZE = 10_000;

type Action = "SET_QUANTITY" | "ADJUST_QUANTITY" | "SET_PRICE" | "SET_STATUS";
const ACTIONS: Record<Action, string> = {
  SET_QUANTITY: "Set quantity to",
  ADJUST_QUANTITY: "Adjust quantity by",
  SET_PRICE: "Set price to",
  SET_STATUS: "Set status to",
};
const STATUSES: ListingStatus[] = ["ACTIVE", "INACTIVE", "DELETED"];

/** A row's problem from a bulk change, shown beside the row in the table. */
export interface RowProblem {
  code: string;
  message: string;
}

type Payload = BulkUpdateInventoryMutation["bulkUpdateInventory"];
type Outcome = {
  dryRun: boolean;
  /** Every chunk's rows, indexed across the whole selection. */
  results: Payload["results"];
  /** One BULK_UPDATE job per chunk that changed something. */
  jobs: NonNullable<Payload["job"]>[];
  /** Rows the selection had; fewer got an answer when cancelled. */
  total: number;
  cancelled: boolean;
};

/** Where a long run is: collecting the matching SKUs, then rows answered out of all. */
interface Progress {
  phase: "collecting" | "sending";
  done: number;
  total: number;
}

/** Rows for the chosen SKUs; a quantity that is not a whole number goes as NaN and is refused locally. */
function rowsFor(skus: string[], action: Action, value: string): InventoryUpdateInput[] | null {
  const whole = /^[-+]?\d+$/.test(value.trim()) ? Number(value) : null;
  switch (action) {
    case "SET_QUANTITY":
      return whole === null || whole < 0 ? null : skus.map((sku) => ({ sku, quantity: whole }));
    case "ADJUST_QUANTITY":
      return whole === null ? null : skus.map((sku) => ({ sku, quantityDelta: whole }));
    case "SET_PRICE":
      return value.trim() ? skus.map((sku) => ({ sku, price: value.trim() })) : null;
    case "SET_STATUS":
      return skus.map((sku) => ({ sku, status: value as ListingStatus }));
  }
}

/**
 * Changes the selected rows together: one change for all of them, to the platforms chosen. A dry run shows what
 * each row would do first; applying writes our record and plans one BULK_UPDATE job for the platforms. Rows
 * with problems are left out (REJECT_FAILED_ROWS) and shown with their codes.
 */
export function BulkEditPanel(props: {
  skus: string[];
  /** Every row the filter matches instead of the ticked ones: collected page by page, sent in chunks. */
  matching?: { filter: InventoryFilter; total: number };
  platforms: PlatformKind[];
  onApplied(): void;
  onClear(): void;
  /** The rows the last preview or apply refused, by SKU, for the table to mark beside each row. */
  onRowProblems?(problems: ReadonlyMap<string, RowProblem[]>): void;
}) {
  const [action, setAction] = useState<Action>("SET_QUANTITY");
  const [value, setValue] = useState("");
  const [targets, setTargets] = useState<PlatformKind[]>(props.platforms);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [problems, setProblems] = useState<UserError[]>([]);
  const [running, run] = useMutation(BulkUpdateInventoryDocument);
  const [limit] = useQuery({ query: BulkUpdateMaxRowsDocument });
  const chunkSize = limit.data?.bulkUpdateMaxRows ?? DEFAULT_CHUNK_SIZE;
  const toast = useToast();
  // What the last preview was of: Apply writes only what was previewed.
  const [previewed, setPreviewed] = useState<string | null>(null);

  const client = useClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  const cancelled = useRef(false);
  // The SKUs the filter matched when last previewed: Apply writes exactly those.
  const collected = useRef<string[]>([]);
  const request = JSON.stringify({
    skus: props.matching ? null : props.skus,
    matching: props.matching ?? null,
    action,
    value,
    targets,
  });
  const busy = running.fetching || progress !== null;

  /** Every SKU the filter matches, page by page; null when cancelled or refused. */
  const collect = async (filter: InventoryFilter, total: number): Promise<string[] | null> => {
    const skus: string[] = [];
    let after: string | null = null;
    setProgress({ phase: "collecting", done: 0, total });
    for (;;) {
      if (cancelled.current) return null;
      const res: OperationResult<InventorySkusQuery> = await client
        .query(
          InventorySkusDocument,
          { filter, first: SKU_PAGE_SIZE, after },
          { requestPolicy: "network-only" },
        )
        .toPromise();
      if (res.error || !res.data) {
        setProblems(res.error ? requestErrors(res.error) : []);
        toast.outcome("", res, []);
        return null;
      }
      const conn = res.data.inventory;
      skus.push(...conn.nodes.map((n) => n.sku));
      setProgress({ phase: "collecting", done: skus.length, total: conn.totalCount });
      if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return skus;
      after = conn.pageInfo.endCursor;
    }
  };

  /** One toast for the whole run, however many chunks it took. */
  const tell = (
    dryRun: boolean,
    total: number,
    results: Payload["results"],
    refused: UserError[],
    wasCancelled: boolean,
  ) => {
    const changed = results.filter((r) => r.status === (dryRun ? "PLANNED" : "APPLIED")).length;
    const rowsFailed = results.filter((r) => r.errors.length > 0);
    const rows = (n: number) => `${formatCount(n)} ${n === 1 ? "row" : "rows"}`;
    if (wasCancelled)
      toast.success(
        `${dryRun ? "Dry run" : "Bulk edit"} cancelled after ${formatCount(results.length)} of ${rows(total)}`,
      );
    else if (refused[0]) toast.failure(refused[0].message, refused[0].code);
    else toast.success(dryRun ? `Dry run: ${rows(changed)} would change` : `${rows(changed)} changed`);
    const firstRowError = rowsFailed[0]?.errors[0];
    if (firstRowError && !refused.length)
      toast.failure(`${rows(rowsFailed.length)} refused: ${firstRowError.message}`, firstRowError.code);
  };

  const send = async (dryRun: boolean) => {
    const chosenValue = action === "SET_STATUS" ? value || "ACTIVE" : value;
    if (!rowsFor([], action, chosenValue)) {
      setProblems([
        { field: ["value"], code: "INVALID", message: "Enter a whole number (0 or more to set)" },
      ]);
      return;
    }
    cancelled.current = false;
    setProblems([]);
    let skus = props.skus;
    if (props.matching) {
      if (dryRun) {
        const found = await collect(props.matching.filter, props.matching.total);
        if (!found) {
          if (cancelled.current) toast.success("Dry run cancelled while collecting rows");
          setProgress(null);
          return;
        }
        collected.current = found;
      }
      skus = collected.current;
    }
    const updates = rowsFor(skus, action, chosenValue)!;
    const chunked = updates.length > chunkSize || props.matching !== undefined;
    const results: Payload["results"] = [];
    const jobs: Outcome["jobs"] = [];
    const problemsSeen: UserError[] = [];
    let stopped = false;
    let answered = false;
    for (let start = 0; start < updates.length; start += chunkSize) {
      if (cancelled.current) {
        stopped = true;
        break;
      }
      if (chunked) setProgress({ phase: "sending", done: start, total: updates.length });
      const res = await run({
        input: {
          updates: updates.slice(start, start + chunkSize),
          platforms: targets,
          dryRun,
          errorPolicy: "REJECT_FAILED_ROWS",
        },
      });
      const payload = res.data?.bulkUpdateInventory;
      if (res.error || !payload) {
        problemsSeen.push(...(res.error ? requestErrors(res.error) : []));
        stopped = true;
        break;
      }
      answered = true;
      // A row's problems come with its result and are shown beside the row: only the others are the request's.
      problemsSeen.push(
        ...payload.userErrors.filter((e) => !(e.field?.[0] === "updates" && /^\d+$/.test(e.field[1] ?? ""))),
      );
      results.push(...payload.results.map((r) => ({ ...r, index: r.index + start })));
      if (payload.job) jobs.push(payload.job);
    }
    setProgress(null);
    setProblems(problemsSeen);
    setOutcome(
      answered
        ? { dryRun, results, jobs, total: updates.length, cancelled: stopped && cancelled.current }
        : null,
    );
    setPreviewed(dryRun && answered && !stopped ? request : null);
    props.onRowProblems?.(
      new Map(
        results
          .filter((r) => r.errors.length > 0)
          .map((r) => [r.sku, r.errors.map((e) => ({ code: e.code, message: e.message }))]),
      ),
    );
    tell(dryRun, updates.length, results, problemsSeen, stopped && cancelled.current);
    if (!dryRun && results.some((r) => r.status === "APPLIED")) props.onApplied();
  };

  const applied =
    outcome?.results.filter((r) => r.status === (outcome.dryRun ? "PLANNED" : "APPLIED")).length ?? 0;
  const unchanged = outcome?.results.filter((r) => r.status === "UNCHANGED").length ?? 0;
  const failed = outcome?.results.filter((r) => r.errors.length > 0) ?? [];
  const skipped = outcome?.results.filter((r) => r.skipped.length > 0) ?? [];

  return (
    <form
      className="panel bulk-edit"
      aria-labelledby="bulk-edit-heading"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void send(true);
      }}
    >
      <div className="head-row bulk-edit-head">
        <h2 id="bulk-edit-heading">
          {props.matching
            ? `Change all ${formatCount(props.matching.total)} matching ${props.matching.total === 1 ? "item" : "items"}`
            : `Change ${formatCount(props.skus.length)} selected ${props.skus.length === 1 ? "item" : "items"}`}
        </h2>
        <button type="button" className="link-button" onClick={props.onClear}>
          Clear selection
        </button>
      </div>
      <div className="controls-row">
        <select aria-label="Change" value={action} onChange={(e) => setAction(e.target.value as Action)}>
          {Object.entries(ACTIONS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
        {action === "SET_STATUS" ? (
          <select aria-label="Value" value={value || "ACTIVE"} onChange={(e) => setValue(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        ) : (
          <input
            className="input bulk-value"
            aria-label="Value"
            inputMode={action === "SET_PRICE" ? "decimal" : "numeric"}
            placeholder={action === "SET_PRICE" ? "19.99" : action === "ADJUST_QUANTITY" ? "-5" : "0"}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
        <fieldset className="bulk-targets">
          <legend className="visually-hidden">Platforms</legend>
          {props.platforms.map((p) => (
            <label key={p}>
              <input
                type="checkbox"
                checked={targets.includes(p)}
                onChange={(e) => setTargets((t) => (e.target.checked ? [...t, p] : t.filter((x) => x !== p)))}
              />{" "}
              {p.charAt(0) + p.slice(1).toLowerCase()}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          Preview
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || previewed !== request}
          title={previewed !== request ? "Preview this change first" : undefined}
          onClick={() => void send(false)}
        >
          Apply
        </button>
      </div>
      {progress ? (
        <div className="bulk-progress" data-testid="bulk-progress" data-phase={progress.phase}>
          <progress max={progress.total} value={progress.done} aria-label="Bulk change progress" />
          <span>
            {progress.phase === "collecting" ? "Collecting matching rows: " : "Rows done: "}
            {formatCount(progress.done)} of {formatCount(progress.total)}
          </span>
          <button
            type="button"
            className="button"
            onClick={() => {
              cancelled.current = true;
            }}
          >
            Cancel
          </button>
        </div>
      ) : null}
      <UserErrors errors={problems} />
      {outcome ? (
        <div className="bulk-outcome" data-testid="bulk-outcome" data-dry-run={outcome.dryRun}>
          <p>
            {outcome.dryRun ? "Preview: " : ""}
            <strong>{formatCount(applied)}</strong> {outcome.dryRun ? "would change" : "changed"}
            {failed.length ? (
              <>
                , <strong className="danger">{formatCount(failed.length)}</strong> with problems (left out)
              </>
            ) : null}
            {unchanged ? `, ${formatCount(unchanged)} already so` : ""}
            {skipped.length ? `, ${formatCount(skipped.length)} with a platform left out` : ""}.
            {outcome.cancelled
              ? ` Cancelled after ${formatCount(outcome.results.length)} of ${formatCount(outcome.total)} rows.`
              : ""}
            {!outcome.dryRun && outcome.jobs.length === 1 ? (
              <>
                {" "}
                <Link href={`/sync?job=${outcome.jobs[0]!.id}`}>Follow the job to the platforms</Link>
              </>
            ) : null}
          </p>
          {!outcome.dryRun && outcome.jobs.length > 1 ? (
            <ul className="bulk-jobs" aria-label="Jobs started">
              {outcome.jobs.map((job, i) => (
                <li key={job.id}>
                  <Link href={`/sync?job=${job.id}`}>
                    Follow job {i + 1} of {outcome.jobs.length} to the platforms
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          {failed.length || skipped.length ? (
            <ul className="bulk-rows" aria-label="Rows with problems">
              {[...failed, ...skipped].slice(0, 50).map((r) => (
                <li key={`${r.index}-${r.sku}`} data-sku={r.sku}>
                  <span className="sku">{r.sku}</span>
                  {r.errors.map((e) => (
                    <span key={e.code} className="field-error" data-code={e.code}>
                      {e.message} <code className="error-code">{e.code}</code>
                    </span>
                  ))}
                  {r.skipped.map((s) => (
                    <span key={`${s.platform}-${s.field}`} className="muted">
                      {s.platform} keeps its {s.field}: {s.message}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          ) : null}
          {failed.length + skipped.length > 50 ? (
            <p className="muted">
              and {formatCount(failed.length + skipped.length - 50)} more rows not shown
            </p>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
