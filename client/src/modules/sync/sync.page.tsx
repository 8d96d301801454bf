import { useEffect, useMemo, useState } from "react";
import { type CombinedError, useMutation, useQuery, useSubscription } from "urql";
import { replaceSearch } from "../../app/router";
import { graphql } from "../../gql";
import type { SyncPageQuery as SyncPageData } from "../../gql/graphql";
import { ErrorMessage } from "../../ui/error-message";
import { Spinner } from "../../ui/spinner";
import { useToast } from "../../ui/toast";
import { useCan } from "../session";
import {
  FILTER_KEYS,
  filterFromUrl,
  isFiltered,
  type JobFilter,
  matchesFilter,
  SyncJobFilters,
  toQueryFilter,
} from "./components/sync-job-filters";
import { SyncJobList } from "./components/sync-job-list";
import { SyncJobPanel } from "./components/sync-job-panel";
import { type FormError, type StartSyncValues, SyncStartForm } from "./components/sync-start-form";
import { mergeJobs, type Stamped } from "./sync-jobs";
import "./sync.css";
import { TotalCount } from "../../ui/total-count";

export const SyncPageQuery = graphql(`
  query SyncPage($first: Int, $last: Int, $after: String, $before: String, $filter: SyncJobFilter) {
    syncJobs(first: $first, last: $last, after: $after, before: $before, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        createdAt
        updatedAt
        type
        status
        trigger
        ...SyncJobListItem_job
      }
    }
    platformConnections {
      id
      ...SyncStartForm_connection
    }
  }
`);

export const SyncJobsUpdatedSubscription = graphql(`
  subscription SyncJobsUpdated {
    syncJobsUpdated {
      id
      createdAt
      updatedAt
      type
      status
      trigger
      ...SyncJobListItem_job
    }
  }
`);

export const StartInventorySyncMutation = graphql(`
  mutation StartInventorySync($input: StartInventorySyncInput!) {
    startInventorySync(input: $input) {
      created
      job {
        id
        createdAt
        updatedAt
        type
        status
        trigger
        ...SyncJobListItem_job
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const CancelInventorySyncMutation = graphql(`
  mutation CancelInventorySync($id: ID!) {
    cancelInventorySync(id: $id) {
      job {
        id
        updatedAt
        ...SyncJobSummary_job
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const LIST_SIZE = 20;

/** Where the jobs list is: the newest page, or after / before a cursor. */
interface JobPage {
  after?: string;
  before?: string;
}

type ListedJob = SyncPageData["syncJobs"]["nodes"][number];

/** Jobs created after the list was loaded, known only from live updates. */
function newSince(listed: readonly Stamped[], updates: readonly Stamped[]): number {
  const newest = Math.max(0, ...listed.map((j) => Date.parse(j.createdAt)));
  const ids = new Set(listed.map((j) => j.id));
  return updates.filter((j) => !ids.has(j.id) && Date.parse(j.createdAt) > newest).length;
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

  const [filter, setFilter] = useState<JobFilter>(filterFromUrl);
  const [page, setPage] = useState<JobPage>({});
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    for (const key of FILTER_KEYS) {
      const value = filter[key];
      if (value) params.set(key, value);
      else params.delete(key);
    }
    replaceSearch(params);
  }, [filter]);
  const chooseFilter = (next: JobFilter) => {
    setFilter(next);
    setPage({});
  };
  const onFirstPage = !page.after && !page.before;
  const [list, reexecute] = useQuery({
    query: SyncPageQuery,
    variables: {
      ...(page.before ? { last: LIST_SIZE, before: page.before } : { first: LIST_SIZE, after: page.after }),
      filter: toQueryFilter(filter),
    },
  });
  const [updates] = useSubscription(
    { query: SyncJobsUpdatedSubscription },
    (previous: ListedJob[] = [], data) => [
      ...previous.filter((j) => j.id !== data.syncJobsUpdated.id),
      data.syncJobsUpdated,
    ],
  );
  // Jobs this page started: listed at once, before their first live update arrives.
  const [started, setStarted] = useState<ListedJob[]>([]);
  // Live updates: new jobs join the first page when they match the filter; a later page only refreshes its rows.
  const live = useMemo(() => {
    const listed = new Set((list.data?.syncJobs.nodes ?? []).map((j) => j.id));
    return [...started, ...(updates.data ?? [])].filter(
      (job) => matchesFilter(job, filter) && (onFirstPage || listed.has(job.id)),
    );
  }, [started, updates.data, filter, onFirstPage, list.data]);
  const jobs = useMemo(() => mergeJobs(list.data?.syncJobs.nodes ?? [], live, LIST_SIZE), [list.data, live]);
  const known = list.data ? list.data.syncJobs.totalCount + newSince(list.data.syncJobs.nodes, live) : null;
  const pageInfo = list.data?.syncJobs.pageInfo;

  const [start, startSync] = useMutation(StartInventorySyncMutation);
  const toast = useToast();
  const [startErrors, setStartErrors] = useState<FormError[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const onStart = async (values: StartSyncValues) => {
    setNotice(null);
    const result = await startSync({
      input: {
        type: values.type,
        platforms: values.platforms,
        dryRun: values.dryRun,
        ...(values.type === "PARTIAL" ? { skus: values.skus } : {}),
      },
    });
    const payload = result.data?.startInventorySync;
    setStartErrors(payload?.userErrors ?? []);
    toast.outcome(
      payload?.created === false
        ? "A full sync is already running"
        : `${values.dryRun ? "Dry run" : "Sync"} started`,
      result,
      payload?.userErrors,
    );
    if (payload?.job) {
      const job = payload.job;
      setStarted((jobs) => [...jobs.filter((j) => j.id !== job.id), job]);
      setSelected(job.id);
      if (!payload.created) setNotice("A full sync is already running; here it is.");
    }
  };

  const canSync = useCan("write_sync");
  const [cancel, cancelSync] = useMutation(CancelInventorySyncMutation);
  const [cancelError, setCancelError] = useState<FormError | null>(null);
  const onCancel = async (id: string) => {
    const result = await cancelSync({ id });
    toast.outcome("Sync cancelled", result, result.data?.cancelInventorySync.userErrors);
    setCancelError(result.data?.cancelInventorySync.userErrors[0] ?? null);
  };

  const requestError: CombinedError | undefined = start.error ?? cancel.error;

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
            <TotalCount count={known} one="job" many="jobs" testId="sync-jobs-total" />
          ) : null}
        </div>
      </header>

      <div className="sync-layout">
        {canSync ? (
          <SyncStartForm
            connections={list.data?.platformConnections ?? []}
            busy={start.fetching}
            errors={startErrors}
            onStart={onStart}
          />
        ) : (
          <section className="panel sync-form" aria-labelledby="sync-start-heading">
            <h2 id="sync-start-heading">Start a sync</h2>
            <p className="muted" data-testid="read-only">
              Your role can follow syncs but not start or cancel them. Ask an owner or admin for the Editor
              role.
            </p>
          </section>
        )}
        <div className="sync-main">
          {list.error ? (
            <ErrorMessage error={list.error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
          ) : null}
          {requestError ? <ErrorMessage error={requestError} /> : null}
          {notice ? (
            <p className="notice" role="status">
              {notice}
            </p>
          ) : null}
          {cancelError ? (
            <p className="field-error" role="alert">
              {cancelError.message}
              <code className="error-code">{cancelError.code}</code>
            </p>
          ) : null}
          {selected ? (
            <SyncJobPanel
              key={selected}
              jobId={selected}
              cancelling={cancel.fetching}
              onCancel={canSync ? onCancel : undefined}
            />
          ) : null}
          <section className="panel" aria-labelledby="sync-jobs-heading">
            <div className="head-row sync-jobs-head">
              <h2 id="sync-jobs-heading">Jobs</h2>
              <SyncJobFilters filter={filter} onChange={chooseFilter} />
            </div>
            {jobs.length ? (
              <SyncJobList jobs={jobs} selectedId={selected} onSelect={setSelected} />
            ) : list.data ? (
              <p className="muted">
                {isFiltered(filter)
                  ? "No job matches these filters."
                  : "No syncs yet. Start one to bring your platforms in step."}
              </p>
            ) : null}
            {pageInfo && (pageInfo.hasNextPage || pageInfo.hasPreviousPage || !onFirstPage) ? (
              <nav className="pager" aria-label="Job pages">
                <span className="pager-summary">{onFirstPage ? "Newest jobs" : "Older jobs"}</span>
                <div className="pager-buttons">
                  <button type="button" className="button" disabled={onFirstPage} onClick={() => setPage({})}>
                    Newest
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={!pageInfo.hasPreviousPage || onFirstPage}
                    onClick={() => setPage({ before: pageInfo.startCursor ?? undefined })}
                  >
                    ‹ Newer
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={!pageInfo.hasNextPage}
                    onClick={() => setPage({ after: pageInfo.endCursor ?? undefined })}
                  >
                    Older ›
                  </button>
                </div>
              </nav>
            ) : null}
          </section>
        </div>
      </div>
    </section>
  );
}
