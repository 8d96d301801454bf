import { useMemo } from "react";
import { useQuery, useSubscription } from "urql";
import { graphql } from "../../../gql";
import { ErrorMessage } from "../../../ui/error-message";
import { Spinner } from "../../../ui/spinner";
import { newerJob } from "../sync-jobs";
import { PlatformProgressList } from "./platform-progress";
import { SyncFailures } from "./sync-failures";
import { SyncJobSummary } from "./sync-job-summary";

export const SyncJobPanelQuery = graphql(`
  query SyncJobPanel($id: ID!) {
    syncJob(id: $id) {
      id
      updatedAt
      ...SyncJobSummary_job
      ...PlatformProgress_job
      ...SyncFailures_job
    }
  }
`);

export const SyncJobProgressSubscription = graphql(`
  subscription SyncJobProgress($id: ID!) {
    syncJobProgress(jobId: $id) {
      id
      updatedAt
      ...SyncJobSummary_job
      ...PlatformProgress_job
      ...SyncFailures_job
    }
  }
`);

/** One job, watched live: its state from the query at once, then every update the server pushes. */
export function SyncJobPanel(props: {
  jobId: string;
  cancelling?: boolean;
  onCancel?: (id: string) => void;
}) {
  const variables = useMemo(() => ({ id: props.jobId }), [props.jobId]);
  const [query, reexecute] = useQuery({ query: SyncJobPanelQuery, variables });
  // Only the newest state matters: each update carries the whole job.
  const [live] = useSubscription(
    { query: SyncJobProgressSubscription, variables },
    (_previous, data) => data,
  );
  const latest = live.data?.syncJobProgress.id === props.jobId ? live.data.syncJobProgress : null;
  const job = newerJob(query.data?.syncJob, latest);

  return (
    <section className="panel sync-job" aria-labelledby="sync-job-heading" data-job-id={props.jobId}>
      {query.error && !job ? (
        <ErrorMessage error={query.error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}
      {live.error ? <ErrorMessage error={live.error} /> : null}
      {job ? (
        <>
          <SyncJobSummary
            job={job}
            live={live.fetching}
            cancelling={props.cancelling ?? false}
            onCancel={props.onCancel ? () => props.onCancel?.(props.jobId) : undefined}
          />
          <h3>Platforms</h3>
          <PlatformProgressList job={job} />
          <h3>Failures</h3>
          <SyncFailures job={job} />
        </>
      ) : query.fetching ? (
        <div className="loading-state">
          <Spinner label="Loading the job" /> Loading the job…
        </div>
      ) : query.data ? (
        <div className="empty-state">
          <h2 id="sync-job-heading">No such job</h2>
          <p className="muted">It may belong to another store, or the link is wrong.</p>
        </div>
      ) : null}
    </section>
  );
}
