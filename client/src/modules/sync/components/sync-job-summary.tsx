import { type FragmentType, graphql, useFragment } from "../../../gql";
import { Badge } from "../../../ui/badge";
import { formatCount, formatDateTime } from "../../../ui/format";
import { JOB_STATUS, JOB_TYPE, TRIGGER_LABELS } from "../labels";
import { ProgressBar, progressTone } from "./progress-bar";

export const SyncJobSummaryFragment = graphql(`
  fragment SyncJobSummary_job on SyncJob {
    id
    type
    status
    trigger
    dryRun
    filters
    progress
    isTerminal
    totalItems
    processedItems
    updatedItems
    failedItems
    conflictCount
    error
    cancelRequestedAt
    startedAt
    finishedAt
    createdAt
    durationMs
  }
`);

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/** One job's state, overall progress and counters, and its cancel button while it runs. */
export function SyncJobSummary(props: {
  job: FragmentType<typeof SyncJobSummaryFragment>;
  live: boolean;
  cancelling: boolean;
  onCancel?: () => void;
}) {
  const job = useFragment(SyncJobSummaryFragment, props.job);
  const status = JOB_STATUS[job.status];
  const filters = job.filters as { skus?: unknown; skuCount?: unknown } | null;
  // Live events carry a sample of a long SKU list and its full count.
  const skuCount =
    typeof filters?.skuCount === "number"
      ? filters.skuCount
      : Array.isArray(filters?.skus)
        ? filters.skus.length
        : 0;
  const counters: [string, number, string?][] = [
    ["Processed", job.processedItems],
    ["Updated", job.updatedItems],
    ["Conflicts", job.conflictCount, job.conflictCount ? "warning" : undefined],
    ["Failed", job.failedItems, job.failedItems ? "danger" : undefined],
  ];
  return (
    <div className="sync-summary">
      <div className="sync-summary-head">
        <div>
          <h2 id="sync-job-heading">
            {JOB_TYPE[job.type].label} sync
            {job.dryRun ? <Badge tone="info">Dry run</Badge> : null}
          </h2>
          <p className="muted">
            {TRIGGER_LABELS[job.trigger]} · created {formatDateTime(job.createdAt)}
            {job.durationMs != null ? ` · ${formatDuration(job.durationMs)}` : ""}
            {skuCount ? ` · ${formatCount(skuCount)} SKU${skuCount === 1 ? "" : "s"}` : ""}
          </p>
        </div>
        <div className="sync-summary-actions">
          {props.live && !job.isTerminal ? (
            <span className="live-dot" title="Updating live">
              Live
            </span>
          ) : null}
          <output
            data-testid="sync-job-status"
            data-status={job.status}
            data-terminal={job.isTerminal}
            data-cancel-requested={job.cancelRequestedAt != null}
          >
            <Badge tone={status.tone}>{status.label}</Badge>
          </output>
          {props.onCancel && !job.isTerminal ? (
            <button
              type="button"
              className="button button-danger"
              onClick={props.onCancel}
              disabled={props.cancelling || job.cancelRequestedAt != null}
            >
              {job.cancelRequestedAt != null || props.cancelling ? "Cancelling…" : "Cancel sync"}
            </button>
          ) : null}
        </div>
      </div>

      <div className="sync-progress">
        <ProgressBar
          label="Overall progress"
          value={job.totalItems > 0 || job.isTerminal ? job.progress : null}
          tone={progressTone(job.status)}
          size="large"
        />
        <span className="sync-progress-figure" data-testid="sync-job-progress">
          {job.totalItems > 0 || job.isTerminal ? `${Math.round(job.progress * 100)} %` : "Counting…"}
        </span>
      </div>

      <dl className="counters">
        <div>
          <dt>Items</dt>
          <dd data-testid="counter-total">{formatCount(job.totalItems)}</dd>
        </div>
        {counters.map(([label, value, tone]) => (
          <div key={label} className={tone ? `counter-${tone}` : undefined}>
            <dt>{label}</dt>
            <dd data-testid={`counter-${label.toLowerCase()}`}>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>

      {job.status === "CANCELLED" ? (
        <p className="notice" data-testid="sync-job-cancelled">
          <strong>Cancelled.</strong> {job.error ?? "Stopped on request."} What it wrote before it stopped
          stays written.
        </p>
      ) : job.error ? (
        <div className="alert-box" role="alert">
          <strong>The sync failed.</strong> {job.error}
        </div>
      ) : null}
    </div>
  );
}
