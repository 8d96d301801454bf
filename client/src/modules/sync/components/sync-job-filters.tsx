import type { SyncJobFilter, SyncJobStatus, SyncJobType, SyncTrigger } from "../../../gql/graphql";
import { FilterSelect } from "../../../ui/filter-select";
import { JOB_STATUS, JOB_TYPE, TRIGGER_LABELS } from "../labels";

/** One value per facet; empty means any. Kept in the page's URL (`?status=FAILED&type=FULL`). */
export interface JobFilter {
  status?: SyncJobStatus;
  type?: SyncJobType;
  trigger?: SyncTrigger;
}

export const FILTER_KEYS = ["status", "type", "trigger"] as const;

const CHOICES = {
  status: Object.entries(JOB_STATUS).map(([value, { label }]) => ({ value, label })),
  type: Object.entries(JOB_TYPE).map(([value, { label }]) => ({ value, label })),
  trigger: Object.entries(TRIGGER_LABELS).map(([value, label]) => ({ value, label })),
};
const LABELS = { status: "Status", type: "Type", trigger: "Trigger" };

/** The filter in the URL; values that are not a known choice are dropped. */
export function filterFromUrl(): JobFilter {
  const params = new URLSearchParams(window.location.search);
  const filter: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value && CHOICES[key].some((c) => c.value === value)) filter[key] = value;
  }
  return filter as JobFilter;
}

export function isFiltered(filter: JobFilter): boolean {
  return FILTER_KEYS.some((key) => filter[key]);
}

export function toQueryFilter(filter: JobFilter): SyncJobFilter | null {
  if (!isFiltered(filter)) return null;
  return {
    ...(filter.status ? { status: [filter.status] } : {}),
    ...(filter.type ? { type: [filter.type] } : {}),
    ...(filter.trigger ? { trigger: [filter.trigger] } : {}),
  };
}

/** Whether a job (say, from a live update) belongs in the filtered list. */
export function matchesFilter(job: { status: string; type: string; trigger: string }, filter: JobFilter) {
  return FILTER_KEYS.every((key) => !filter[key] || filter[key] === job[key]);
}

export function SyncJobFilters({ filter, onChange }: { filter: JobFilter; onChange(next: JobFilter): void }) {
  return (
    <div className="controls-row">
      {FILTER_KEYS.map((key) => (
        <FilterSelect
          key={key}
          className="sort"
          label={LABELS[key]}
          choices={CHOICES[key]}
          value={filter[key]}
          onChange={(value) => onChange({ ...filter, [key]: value })}
        />
      ))}
      {isFiltered(filter) ? (
        <button type="button" className="link-button" onClick={() => onChange({})}>
          Clear
        </button>
      ) : null}
    </div>
  );
}
