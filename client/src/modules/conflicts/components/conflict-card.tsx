import { useState } from "react";
import { Link } from "../../../app/router";
import { type FragmentType, graphql, useFragment } from "../../../gql";
import type { ConflictResolutionInput, ConflictStrategy } from "../../../gql/graphql";
import { Badge, type Tone } from "../../../ui/badge";
import { formatDateTime, humanize } from "../../../ui/format";
import { COMPUTING_STRATEGIES, formatConflictValue } from "../conflicts-view";

export const ConflictCardFragment = graphql(`
  fragment ConflictCard_conflict on SyncConflict {
    id
    sku
    field
    type
    status
    strategy
    createdAt
    updatedAt
    readings {
      platform
      value
      readAt
    }
    suggestion {
      strategy
      platform
      value
    }
    resolvedValue
    resolution
    resolvedAt
    resolvedBy
    product {
      title
    }
    job {
      id
    }
  }
`);

export interface CardError {
  field: string[];
  code: string;
  message: string;
}

const STATUS_TONE: Record<string, Tone> = { OPEN: "warning", RESOLVED: "success", IGNORED: "neutral" };

/** One conflict: every platform's value side by side, what the strategy would pick, and the ways to settle it. */
export function ConflictCard(props: {
  conflict: FragmentType<typeof ConflictCardFragment>;
  selected: boolean;
  busy: boolean;
  errors: CardError[];
  /** Absent when the viewer may not resolve conflicts. */
  actions?: {
    onSelect(selected: boolean): void;
    onResolve(resolution: ConflictResolutionInput): void;
    onIgnore(): void;
  };
}) {
  const c = useFragment(ConflictCardFragment, props.conflict);
  const [value, setValue] = useState("");
  const [strategy, setStrategy] = useState<ConflictStrategy>(
    COMPUTING_STRATEGIES.includes(c.strategy) ? c.strategy : "SOURCE_WINS",
  );
  const open = c.status === "OPEN";
  const actions = open ? props.actions : undefined;
  const headingId = `conflict-${c.id}`;

  return (
    <article
      className={`panel conflict-card${props.selected ? " is-selected" : ""}`}
      aria-labelledby={headingId}
      data-conflict-id={c.id}
      data-sku={c.sku}
      data-status={c.status}
    >
      <header className="conflict-head">
        {actions ? (
          <input
            type="checkbox"
            aria-label={`Select ${c.sku} ${c.field}`}
            checked={props.selected}
            onChange={(e) => actions.onSelect(e.target.checked)}
          />
        ) : null}
        <h2 id={headingId}>
          <span className="mono">{c.sku}</span> · {c.field}
        </h2>
        <Badge tone="info">{humanize(c.type)}</Badge>
        <Badge tone={STATUS_TONE[c.status] ?? "neutral"}>{humanize(c.status)}</Badge>
        <span className="conflict-product muted" title={c.product.title}>
          {c.product.title}
        </span>
        <span className="muted small conflict-found">
          Found {formatDateTime(c.createdAt)}
          {c.job ? (
            <>
              {" by "}
              <Link href={`/sync?job=${encodeURIComponent(c.job.id)}`}>a sync job</Link>
            </>
          ) : null}
        </span>
      </header>

      <table className="conflict-values table-cards">
        <thead>
          <tr>
            <th scope="col">Platform</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col">Read</th>
            <th scope="col">
              <span className="visually-hidden">Choose</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {c.readings.map((r) => {
            const picked = c.suggestion?.platform === r.platform;
            return (
              <tr key={r.platform} data-platform={r.platform} className={picked ? "is-suggested" : undefined}>
                <th scope="row">{humanize(r.platform)}</th>
                <td className="num mono strong" data-label="Value">
                  {formatConflictValue(r.value)}
                </td>
                <td className="muted small" data-label="Read">
                  {r.readAt ? formatDateTime(r.readAt) : "not listed"}
                </td>
                <td>
                  <div className="conflict-choose">
                    {picked && c.suggestion ? (
                      <Badge tone="accent" title="What the tenant's conflict strategy would choose">
                        {humanize(c.suggestion.strategy)} picks this
                      </Badge>
                    ) : null}
                    {actions && r.value !== null ? (
                      <button
                        type="button"
                        className="button"
                        disabled={props.busy}
                        onClick={() => actions.onResolve({ value: String(r.value) })}
                      >
                        Use {humanize(r.platform)}'s value
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {open && !c.suggestion ? (
        <p className="muted small">
          The strategy is {humanize(c.strategy)}: a person decides. Pick a value, type one, or choose a
          strategy.
        </p>
      ) : null}
      {!open ? (
        <p className="small conflict-closed">
          {c.status === "RESOLVED" ? (
            <>
              Resolved to <strong className="mono">{formatConflictValue(c.resolvedValue)}</strong>
            </>
          ) : (
            "Ignored"
          )}
          {c.resolvedBy ? ` by ${c.resolvedBy}` : ""}
          {c.resolvedAt ? `, ${formatDateTime(c.resolvedAt)}` : ""}.
        </p>
      ) : null}

      {actions ? (
        <div className="controls-row conflict-actions">
          <form
            className="conflict-inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (value.trim()) actions.onResolve({ value: value.trim() });
            }}
          >
            <input
              className="input"
              aria-label={`Value for ${c.sku} ${c.field}`}
              placeholder={c.type === "PRICE" ? "e.g. 19.99" : c.type === "QUANTITY" ? "e.g. 12" : "Value"}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
            <button type="submit" className="button" disabled={props.busy || !value.trim()}>
              Resolve to this value
            </button>
          </form>
          <div className="conflict-inline">
            <select
              className="input"
              aria-label={`Strategy for ${c.sku} ${c.field}`}
              value={strategy}
              onChange={(e) => setStrategy(e.target.value as ConflictStrategy)}
            >
              {COMPUTING_STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button-primary"
              disabled={props.busy}
              onClick={() => actions.onResolve({ strategy })}
            >
              Resolve by strategy
            </button>
          </div>
          <button
            type="button"
            className="button button-danger"
            disabled={props.busy}
            onClick={actions.onIgnore}
          >
            Ignore
          </button>
        </div>
      ) : null}

      {props.errors.length ? (
        <ul className="field-error conflict-errors" role="alert">
          {props.errors.map((e) => (
            <li key={`${e.field.join(".")}|${e.code}`}>
              {e.message}
              <code className="error-code">{e.code}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
