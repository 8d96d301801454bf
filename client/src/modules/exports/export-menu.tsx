import { useCallback, useId, useRef, useState } from "react";
import { useDismiss } from "../../ui/use-dismiss";
import { chosenTenant, freshAccessToken } from "../session/session-store";
import { useCan } from "../session/viewer";

/** The lists the server exports (GET /exports/<list>.<format>). */
export type ExportList = "inventory" | "conflicts" | "alerts" | "history";

const FORMATS = [
  { format: "csv", label: "CSV" },
  { format: "json", label: "JSON" },
] as const;
type Format = (typeof FORMATS)[number]["format"];

/** The file name the server gives in Content-Disposition, or a fallback. */
function fileNameOf(disposition: string | null, list: ExportList, format: Format): string {
  const match = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return match?.[1] ?? `${list}.${format}`;
}

/** A GraphQL list filter as the export's query parameters: one per field, lists repeated. */
export function filterParams(filter: object | null | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(name, String(v));
    else params.set(name, String(value));
  }
  return params;
}

/** Downloads the export with the session's Bearer token (a plain link could not send it) and saves it. */
async function download(list: ExportList, format: Format, params: URLSearchParams): Promise<void> {
  const token = await freshAccessToken();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const tenant = chosenTenant();
  if (tenant) headers["x-tenant"] = tenant;
  const res = await fetch(`/exports/${list}.${format}?${params}`, { headers });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new Error(body?.error?.message ?? `The export failed (HTTP ${res.status})`);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileNameOf(res.headers.get("content-disposition"), list, format);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Export: a small menu that downloads a list as the page shows it (its filters, and sort) as CSV or JSON. */
export function ExportMenu(props: { list: ExportList; params: () => URLSearchParams }) {
  const allowed = useCan("read_exports");
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, root, close);

  if (!allowed) return null;

  const start = (format: Format) => {
    setOpen(false);
    setBusy(format);
    setError(null);
    download(props.list, format, props.params())
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(null));
  };

  return (
    <div className="multi-select export-menu" ref={root}>
      <button
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        disabled={busy !== null}
        onClick={() => setOpen((o) => !o)}
      >
        {busy ? `Exporting ${busy.toUpperCase()}…` : "Export"}
        <span className="chevron" aria-hidden="true" />
      </button>
      {open ? (
        <div id={menuId} className="popover export-popover" role="menu" aria-label="Export format">
          {FORMATS.map((f) => (
            <button
              key={f.format}
              type="button"
              role="menuitem"
              className="option"
              onClick={() => start(f.format)}
            >
              {f.label}
            </button>
          ))}
        </div>
      ) : null}
      {error ? (
        <p className="notice error-code" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
