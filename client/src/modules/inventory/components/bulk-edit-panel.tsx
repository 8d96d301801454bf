import { type FormEvent, useState } from "react";
import { useMutation } from "urql";
import { Link } from "../../../app/router";
import { graphql } from "../../../gql";
import type {
  BulkUpdateInventoryMutation,
  InventoryUpdateInput,
  ListingStatus,
  PlatformKind,
} from "../../../gql/graphql";
import { formatCount } from "../../../ui/format";
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

type Action = "SET_QUANTITY" | "ADJUST_QUANTITY" | "SET_PRICE" | "SET_STATUS";
const ACTIONS: Record<Action, string> = {
  SET_QUANTITY: "Set quantity to",
  ADJUST_QUANTITY: "Adjust quantity by",
  SET_PRICE: "Set price to",
  SET_STATUS: "Set status to",
};
const STATUSES: ListingStatus[] = ["ACTIVE", "INACTIVE", "DELETED"];

type Outcome = BulkUpdateInventoryMutation["bulkUpdateInventory"] & { dryRun: boolean };

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
  platforms: PlatformKind[];
  onApplied(): void;
  onClear(): void;
}) {
  const [action, setAction] = useState<Action>("SET_QUANTITY");
  const [value, setValue] = useState("");
  const [targets, setTargets] = useState<PlatformKind[]>(props.platforms);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [problems, setProblems] = useState<UserError[]>([]);
  const [running, run] = useMutation(BulkUpdateInventoryDocument);
  // What the last preview was of: Apply writes only what was previewed.
  const [previewed, setPreviewed] = useState<string | null>(null);
  const request = JSON.stringify({ skus: props.skus, action, value, targets });

  const send = async (dryRun: boolean) => {
    const updates = rowsFor(props.skus, action, action === "SET_STATUS" ? value || "ACTIVE" : value);
    if (!updates) {
      setProblems([
        { field: ["value"], code: "INVALID", message: "Enter a whole number (0 or more to set)" },
      ]);
      return;
    }
    const res = await run({
      input: { updates, platforms: targets, dryRun, errorPolicy: "REJECT_FAILED_ROWS" },
    });
    const payload = res.data?.bulkUpdateInventory;
    setProblems(res.error ? requestErrors(res.error) : (payload?.userErrors ?? []));
    setOutcome(payload ? { ...payload, dryRun } : null);
    setPreviewed(dryRun && payload ? request : null);
    if (!dryRun && payload?.results.some((r) => r.status === "APPLIED")) props.onApplied();
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
      <div className="bulk-edit-head">
        <h2 id="bulk-edit-heading">
          Change {formatCount(props.skus.length)} selected {props.skus.length === 1 ? "item" : "items"}
        </h2>
        <button type="button" className="link-button" onClick={props.onClear}>
          Clear selection
        </button>
      </div>
      <div className="bulk-edit-controls">
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
        <button type="submit" className="button" disabled={running.fetching}>
          Preview
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={running.fetching || previewed !== request}
          title={previewed !== request ? "Preview this change first" : undefined}
          onClick={() => void send(false)}
        >
          Apply
        </button>
      </div>
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
            {!outcome.dryRun && outcome.job ? (
              <>
                {" "}
                <Link href={`/sync?job=${outcome.job.id}`}>Follow the job to the platforms</Link>
              </>
            ) : null}
          </p>
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
        </div>
      ) : null}
    </form>
  );
}
