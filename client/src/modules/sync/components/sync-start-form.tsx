import { type FormEvent, useState } from "react";
import { type FragmentType, graphql, useFragment } from "../../../gql";
import type { PlatformKind, SyncJobType } from "../../../gql/graphql";
import { JOB_TYPE, platformLabel } from "../labels";
import { parseSkus } from "../sync-jobs";

export const SyncStartFormFragment = graphql(`
  fragment SyncStartForm_connection on PlatformConnection {
    id
    kind
    name
    enabled
  }
`);

export interface StartSyncValues {
  type: SyncJobType;
  platforms: PlatformKind[];
  dryRun: boolean;
  skus: string[];
}

export interface FormError {
  field: string[];
  code: string;
  message: string;
}

const TYPES: SyncJobType[] = ["FULL", "PARTIAL", "INCREMENTAL"];

/** Which error belongs to which control: the last named segment of its path (input.skus.3 -> skus). */
function fieldOf(error: FormError): string | null {
  const names = error.field.filter((segment) => !/^\d+$/.test(segment) && segment !== "input");
  return names[0] ?? null;
}

/** Chooses what a sync covers and starts it; errors from the server show beside the control at fault. */
export function SyncStartForm(props: {
  connections: FragmentType<typeof SyncStartFormFragment>[];
  busy: boolean;
  errors: FormError[];
  onStart(values: StartSyncValues): void;
}) {
  const connections = useFragment(SyncStartFormFragment, props.connections);
  const enabled = [...new Set(connections.filter((c) => c.enabled).map((c) => c.kind))];
  const [type, setType] = useState<SyncJobType>("FULL");
  const [platforms, setPlatforms] = useState<PlatformKind[] | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [skuText, setSkuText] = useState("");
  const [localErrors, setLocalErrors] = useState<FormError[]>([]);
  const chosen = platforms ?? enabled;
  const skuCount = parseSkus(skuText).length;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const skus = type === "PARTIAL" ? parseSkus(skuText) : [];
    const problems: FormError[] = [];
    if (chosen.length === 0) {
      problems.push({ field: ["platforms"], code: "REQUIRED", message: "Choose at least one platform." });
    }
    if (type === "PARTIAL" && skus.length === 0) {
      problems.push({ field: ["skus"], code: "REQUIRED", message: "List the SKUs to sync." });
    }
    setLocalErrors(problems);
    if (problems.length === 0) props.onStart({ type, platforms: chosen, dryRun, skus });
  };

  const errors = [...localErrors, ...props.errors];
  const errorsFor = (field: string | null) =>
    errors
      .filter((e) => fieldOf(e) === field)
      .map((e) => (
        <p key={`${e.code}:${e.message}`} className="field-error" role="alert">
          {e.message}
        </p>
      ));
  const general = errors.filter((e) => !["type", "platforms", "dryRun", "skus"].includes(fieldOf(e) ?? ""));

  return (
    <form className="panel sync-form" aria-labelledby="sync-start-heading" onSubmit={submit} noValidate>
      <h2 id="sync-start-heading">Start a sync</h2>
      <fieldset>
        <legend>What to sync</legend>
        {TYPES.map((t) => (
          <label key={t} className="choice">
            <input type="radio" name="sync-type" value={t} checked={type === t} onChange={() => setType(t)} />
            <span>
              {JOB_TYPE[t].label}
              <span className="choice-hint">{JOB_TYPE[t].hint}</span>
            </span>
          </label>
        ))}
        {errorsFor("type")}
      </fieldset>

      {type === "PARTIAL" ? (
        <label>
          <span className="strong">SKUs</span>
          <textarea
            name="skus"
            aria-label="SKUs"
            placeholder="One per line, or separated by commas"
            value={skuText}
            onChange={(e) => setSkuText(e.target.value)}
          />
          <span className="muted small">
            {skuCount} SKU{skuCount === 1 ? "" : "s"}
          </span>
          {errorsFor("skus")}
        </label>
      ) : null}

      <fieldset>
        <legend>Platforms</legend>
        {enabled.length === 0 ? <p className="muted">No platform is connected and enabled.</p> : null}
        {enabled.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="checkbox"
              checked={chosen.includes(kind)}
              onChange={() =>
                setPlatforms(chosen.includes(kind) ? chosen.filter((k) => k !== kind) : [...chosen, kind])
              }
            />
            <span>{platformLabel(kind)}</span>
          </label>
        ))}
        {errorsFor("platforms")}
      </fieldset>

      <label className="choice">
        <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
        <span>
          Dry run
          <span className="choice-hint">Reads and compares, writes nothing; shows what it would change.</span>
        </span>
      </label>
      {errorsFor("dryRun")}

      {general.map((e) => (
        <p key={`${e.code}:${e.message}`} className="field-error" role="alert">
          {e.message}
          <code className="error-code">{e.code}</code>
        </p>
      ))}

      <button type="submit" className="button button-primary" disabled={props.busy}>
        {props.busy ? "Starting…" : dryRun ? "Start dry run" : "Start sync"}
      </button>
    </form>
  );
}
