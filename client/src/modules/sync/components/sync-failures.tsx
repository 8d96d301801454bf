import { type FragmentType, graphql, useFragment } from "../../../gql";
import { formatCount } from "../../../ui/format";
import { platformLabel } from "../labels";

export const SyncFailuresFragment = graphql(`
  fragment SyncFailures_job on SyncJob {
    failedItems
    failures(first: 50) {
      sku
      platform
      field
      error
      errorCode
    }
  }
`);

/** The items that failed, with the marketplace's error. */
export function SyncFailures(props: { job: FragmentType<typeof SyncFailuresFragment> }) {
  const job = useFragment(SyncFailuresFragment, props.job);
  if (job.failures.length === 0) return <p className="muted">No failures.</p>;
  return (
    <>
      {job.failedItems > job.failures.length ? (
        <p className="muted small">
          The latest {formatCount(job.failures.length)} of {formatCount(job.failedItems)} failures.
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="sync-failures table-cards" aria-label="Failures">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Platform</th>
              <th scope="col">Field</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {job.failures.map((f) => (
              <tr key={`${f.sku}:${f.platform}:${f.field}`}>
                <td className="mono">{f.sku}</td>
                <td data-label="Platform">{platformLabel(f.platform)}</td>
                <td data-label="Field">{f.field}</td>
                <td data-label="Error">
                  {f.error ?? "Unknown error"}
                  {f.errorCode ? <code className="error-code">{f.errorCode}</code> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
