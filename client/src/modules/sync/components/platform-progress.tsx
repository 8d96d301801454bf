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
    progress
    totalItems
    platforms
    platformResults
  }
`);

/** A bar and counters per platform taking part, from the job's per-platform results. */
export function PlatformProgressList(props: { job: FragmentType<typeof PlatformProgressFragment> }) {
  const job = useFragment(PlatformProgressFragment, props.job);
  const rows = platformProgress(job.platformResults, job.platforms, job);
  if (rows.length === 0) {
    return <p className="muted">Every enabled platform takes part; their results appear as they report.</p>;
  }
  return (
    <ul className="platform-progress" aria-label="Progress per platform">
      {rows.map((row) => {
        const figures = [
          `${formatCount(row.read)} read`,
          row.updated ? `${formatCount(row.updated)} updated` : null,
          row.conflicts ? `${formatCount(row.conflicts)} conflicts` : null,
          row.skipped ? `${formatCount(row.skipped)} skipped` : null,
          row.failed ? `${formatCount(row.failed)} failed` : null,
        ].filter(Boolean);
        return (
          <li key={row.platform} data-platform={row.platform}>
            <div className="platform-progress-head">
              <span className="platform-name">{platformLabel(row.platform)}</span>
              {row.status ? <Badge tone="neutral">{humanize(row.status)}</Badge> : null}
            </div>
            <ProgressBar
              label={`${platformLabel(row.platform)} progress`}
              value={row.fraction}
              tone={row.failed && job.isTerminal ? "danger" : progressTone(job.status)}
            />
            <span className={`small${row.failed ? " danger" : " muted"}`}>{figures.join(" · ")}</span>
            {row.error ? <p className="danger small">{row.error}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
