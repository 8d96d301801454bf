import { useCallback, useId, useRef, useState } from "react";
import { useDismiss } from "./use-dismiss";

export interface Option<T extends string> {
  value: T;
  label: string;
  count?: number;
}

interface MultiSelectProps<T extends string> {
  label: string;
  options: Option<T>[];
  selected: T[];
  onChange(selected: T[]): void;
  /** Offer a text box to narrow long lists. */
  searchable?: boolean;
  disabled?: boolean;
}

/** A dropdown of checkboxes; the button says what is chosen. Closes on Escape and outside clicks. */
export function MultiSelect<T extends string>({
  label,
  options,
  selected,
  onChange,
  searchable = options.length > 12,
  disabled,
}: MultiSelectProps<T>) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const root = useRef<HTMLDivElement>(null);
  const panelId = useId();

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, root, close);

  const chosen = new Set(selected);
  const visible = query
    ? options.filter((o) => o.label.toLowerCase().includes(query.trim().toLowerCase()))
    : options;
  const summary =
    selected.length === 0
      ? null
      : selected.length === 1
        ? (options.find((o) => o.value === selected[0])?.label ?? selected[0])
        : `${selected.length} selected`;

  const toggle = (value: T) =>
    onChange(chosen.has(value) ? selected.filter((v) => v !== value) : [...selected, value]);

  return (
    <div className="multi-select" ref={root}>
      <button
        type="button"
        className={`filter-button${selected.length ? " is-active" : ""}`}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={panelId}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        {summary ? <span className="filter-value">{summary}</span> : null}
        <span className="chevron" aria-hidden="true" />
      </button>
      {open ? (
        <fieldset id={panelId} className="popover">
          <legend className="visually-hidden">{label}</legend>
          {searchable ? (
            <input
              type="search"
              className="popover-search"
              placeholder={`Find ${label.toLowerCase()}`}
              aria-label={`Find ${label.toLowerCase()}`}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          ) : null}
          <div className="popover-options">
            {visible.map((o) => (
              <label key={o.value} className="option">
                <input type="checkbox" checked={chosen.has(o.value)} onChange={() => toggle(o.value)} />
                <span className="option-label">{o.label}</span>
                {o.count !== undefined ? <span className="option-count">{o.count}</span> : null}
              </label>
            ))}
            {visible.length === 0 ? <p className="muted option-empty">No matches</p> : null}
          </div>
          {selected.length ? (
            <button type="button" className="link-button" onClick={() => onChange([])}>
              Clear
            </button>
          ) : null}
        </fieldset>
      ) : null}
    </div>
  );
}
