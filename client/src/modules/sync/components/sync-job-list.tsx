import { type FragmentType, graphql, useFragment } from "../../../gql";
import { Badge } from "../../../ui/badge";
import { formatCount, formatDateTime } from "../../../ui/format";
import { JOB_STATUS, JOB_TYPE, platformLabel, TRIGGER_LABELS } from "../labels";
import { ProgressBar, progressTone } from "./progress-bar";

export const SyncJobListItemFragment = graphql(`
  fragment SyncJobListItem_job on SyncJob {
    id
    type
    status
    trigger
    dryRun
    platforms
    progress
    isTerminal
    totalItems
    processedItems
    failedItems
    conflictCount
    createdAt
  }
`);

/** The tenant's recent jobs, newest first; a row opens the job. */
export function SyncJobList(props: {
  jobs: FragmentType<typeof SyncJobListItemFragment>[];
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  return (
    <div className="table-wrap">
      <table className="sync-jobs table-cards" aria-label="Sync jobs">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Type</th>
            <th scope="col">Platforms</th>
            <th scope="col">Status</th>
            <th scope="col" className="progress-col">
              Progress
            </th>
            <th scope="col" className="num">
              Failed
            </th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((job, i) => (
            <SyncJobRow
              // biome-ignore lint/suspicious/noArrayIndexKey: keyed by the job id inside; masked here
              key={i}
              job={job}
              selectedId={props.selectedId}
              onSelect={props.onSelect}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SyncJobRow(props: {
  job: FragmentType<typeof SyncJobListItemFragment>;
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  const job = useFragment(SyncJobListItemFragment, props.job);
  const status = JOB_STATUS[job.status];
  const selected = job.id === props.selectedId;
  return (
    <tr
      data-job-id={job.id}
      data-status={job.status}
      aria-selected={selected}
      className={selected ? "is-selected" : undefined}
    >
      <td>
        <button type="button" className="link-button job-open" onClick={() => props.onSelect(job.id)}>
          {formatDateTime(job.createdAt)}
        </button>
        <div className="muted small">{TRIGGER_LABELS[job.trigger]}</div>
      </td>
      <td data-label="Type">
        {JOB_TYPE[job.type].label}
        {job.dryRun ? <Badge tone="info">Dry run</Badge> : null}
      </td>
      <td data-label="Platforms">
        {job.platforms.length ? job.platforms.map(platformLabel).join(", ") : "All enabled"}
      </td>
      <td data-label="Status">
        <Badge tone={status.tone}>{status.label}</Badge>
      </td>
      <td className="progress-col" data-label="Progress">
        <div className="progress-cell">
          <ProgressBar
            label="Job progress"
            value={job.totalItems > 0 || job.isTerminal ? job.progress : null}
            tone={progressTone(job.status)}
          />
          <span className="muted small num">
            {formatCount(job.processedItems)} / {formatCount(job.totalItems)}
          </span>
        </div>
      </td>
      <td className={`num${job.failedItems ? " strong danger" : ""}`} data-label="Failed">
        {formatCount(job.failedItems)}
      </td>
    </tr>
  );
}
