import { type FragmentType, graphql, useFragment } from "../../../gql";
import { formatCount } from "../../../ui/format";
import { Pager } from "../../../ui/pager";
import { PAGE_SIZES } from "../inventory-view";

export const InventoryPaginationFragment = graphql(`
  fragment InventoryPagination_connection on InventoryConnection {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
`);

/** Cursor pagination with the position spelled out ("51–100 of 300"). */
export function InventoryPagination(props: {
  connection: FragmentType<typeof InventoryPaginationFragment>;
  /** Zero-based page number, counted by the page as it moves. */
  pageIndex: number;
  pageSize: number;
  shown: number;
  busy: boolean;
  onPageSize(size: number): void;
  onFirst(): void;
  onNext(after: string): void;
  onPrevious(before: string): void;
}) {
  const { totalCount, pageInfo } = useFragment(InventoryPaginationFragment, props.connection);
  const from = props.shown ? props.pageIndex * props.pageSize + 1 : 0;
  const to = props.shown ? from + props.shown - 1 : 0;
  const summary = `${formatCount(from)}–${formatCount(to)} of ${formatCount(totalCount)}`;
  return (
    <Pager
      summary={summary}
      pageSize={props.pageSize}
      pageSizes={PAGE_SIZES}
      hasPrevious={props.pageIndex > 0 || pageInfo.hasPreviousPage}
      hasNext={pageInfo.hasNextPage}
      disabled={props.busy}
      onPageSize={props.onPageSize}
      onFirst={props.onFirst}
      onNext={() => pageInfo.endCursor && props.onNext(pageInfo.endCursor)}
      onPrevious={() => (pageInfo.startCursor ? props.onPrevious(pageInfo.startCursor) : props.onFirst())}
    />
  );
}
