import { type FragmentType, graphql, useFragment } from "../../../gql";
import { Badge } from "../../../ui/badge";
import { formatCount, humanize } from "../../../ui/format";
import { platformLabel } from "../labels";
import { platformProgress } from "../sync-jobs";
import { ProgressBar, progressTone } from "./progress-bar";

export const PlatformProgressFragment = graphql(`
  fragment PlatformProgress_job on SyncJob {
    status
    isTerminal
    platforms
    platformResults
  }
`);

/** A bar and counters per platform taking part, from the job's per-platform results. */
export function PlatformProgressList(props: { job: FragmentType<typeof PlatformProgressFragment> }) {
  const job = useFragment(PlatformProgressFragment, props.job);
  const rows = platformProgress(job.platformResults, job.platforms);
  if (rows.length === 0) {
    return <p className="muted">Every enabled platform takes part; their results appear as they report.</p>;
  }
  return (
    <ul className="platform-progress" aria-label="Progress per platform">
      {rows.map((row) => (
        <li key={row.platform} data-platform={row.platform}>
          <div className="platform-progress-head">
            <span className="platform-name">{platformLabel(row.platform)}</span>
            {row.status ? <Badge tone="neutral">{humanize(row.status)}</Badge> : null}
            <span className="muted small num">
              {formatCount(row.processed)} / {formatCount(row.total)}
              {row.updated ? ` · ${formatCount(row.updated)} updated` : ""}
              {row.failed ? ` · ${formatCount(row.failed)} failed` : ""}
            </span>
          </div>
          <ProgressBar
            label={`${platformLabel(row.platform)} progress`}
            value={row.fraction ?? (job.isTerminal ? 1 : null)}
            tone={row.failed && job.isTerminal ? "danger" : progressTone(job.status)}
          />
          {row.error ? <p className="danger small">{row.error}</p> : null}
        </li>
      ))}
    </ul>
  );
}
