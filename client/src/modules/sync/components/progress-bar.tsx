import { percent } from "../sync-jobs";

/** A labelled bar from 0 to 100 %; indeterminate (striped) while the total is not known yet. */
export function ProgressBar(props: {
  label: string;
  /** From 0 to 1, or null when unknown. */
  value: number | null;
  tone?: "accent" | "success" | "danger" | "warning";
  size?: "small" | "large";
}) {
  const value = props.value === null ? null : percent(props.value);
  return (
    <div
      className={`progress progress-${props.tone ?? "accent"} progress-${props.size ?? "small"}${
        value === null ? " is-indeterminate" : ""
      }`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
    >
      <span className="progress-fill" style={{ width: `${value ?? 100}%` }} />
    </div>
  );
}

export function progressTone(status: string): "accent" | "success" | "danger" | "warning" {
  if (status === "SUCCEEDED") return "success";
  if (status === "FAILED") return "danger";
  if (status === "CANCELLED") return "warning";
  return "accent";
}
