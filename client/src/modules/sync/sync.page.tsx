import { useEffect, useMemo, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { replaceSearch } from "../../app/router";
import { graphql } from "../../gql";
import { ErrorMessage } from "../../ui/error-message";
import { formatCount } from "../../ui/format";
import { Spinner } from "../../ui/spinner";
import { SyncJobList } from "./components/sync-job-list";
import { SyncJobPanel } from "./components/sync-job-panel";
import { mergeJobs, type Stamped } from "./sync-jobs";
import "./sync.css";

export const SyncPageQuery = graphql(`
  query SyncPage($first: Int!) {
    syncJobs(first: $first) {
      totalCount
      nodes {
        id
        createdAt
        updatedAt
        ...SyncJobListItem_job
      }
    }
  }
`);

export const SyncJobsUpdatedSubscription = graphql(`
  subscription SyncJobsUpdated {
    syncJobsUpdated {
      id
      createdAt
      updatedAt
      ...SyncJobListItem_job
    }
  }
`);

const LIST_SIZE = 20;

/** Jobs created after the list was loaded, known only from live updates. */
function newSince(listed: readonly Stamped[], updates: readonly Stamped[] | undefined): number {
  const newest = Math.max(0, ...listed.map((j) => Date.parse(j.createdAt)));
  const ids = new Set(listed.map((j) => j.id));
  return (updates ?? []).filter((j) => !ids.has(j.id) && Date.parse(j.createdAt) > newest).length;
}

function selectedFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get("job");
}

/** Start syncs and watch them: the jobs list keeps itself current, the chosen job updates live. */
export function SyncPage() {
  const [selected, setSelected] = useState<string | null>(selectedFromUrl);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (selected) params.set("job", selected);
    else params.delete("job");
    replaceSearch(params);
  }, [selected]);

  const [list, reexecute] = useQuery({ query: SyncPageQuery, variables: { first: LIST_SIZE } });
  const [updates] = useSubscription(
    { query: SyncJobsUpdatedSubscription },
    (previous: NonNullable<typeof list.data>["syncJobs"]["nodes"] = [], data) => [
      ...previous.filter((j) => j.id !== data.syncJobsUpdated.id),
      data.syncJobsUpdated,
    ],
  );
  const jobs = useMemo(
    () => mergeJobs(list.data?.syncJobs.nodes ?? [], updates.data ?? [], LIST_SIZE),
    [list.data, updates.data],
  );
  const known = list.data
    ? list.data.syncJobs.totalCount + newSince(list.data.syncJobs.nodes, updates.data)
    : null;

  return (
    <section className="page sync-page" aria-labelledby="sync-heading">
      <header className="page-header">
        <div>
          <h1 id="sync-heading">Sync</h1>
          <p className="page-subtitle">Bring every platform in step, and watch each run as it happens.</p>
        </div>
        <div className="page-header-status">
          {list.fetching ? <Spinner label="Loading sync jobs" /> : null}
          {known !== null ? (
            <output className="total" data-testid="sync-jobs-total" data-count={known}>
              {formatCount(known)} {known === 1 ? "job" : "jobs"}
            </output>
          ) : null}
        </div>
      </header>

      <div className="sync-layout no-form">
        <div className="sync-main">
          {list.error ? (
            <ErrorMessage error={list.error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
          ) : null}
          {selected ? <SyncJobPanel key={selected} jobId={selected} /> : null}
          <section className="panel" aria-labelledby="sync-jobs-heading">
            <h2 id="sync-jobs-heading">Recent jobs</h2>
            {jobs.length ? (
              <SyncJobList jobs={jobs} selectedId={selected} onSelect={setSelected} />
            ) : list.data ? (
              <p className="muted">No syncs yet. Start one to bring your platforms in step.</p>
            ) : null}
          </section>
        </div>
      </div>
    </section>
  );
}
