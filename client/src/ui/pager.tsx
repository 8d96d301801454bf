interface PagerProps {
  /** e.g. "51–100 of 300". */
  summary: string;
  pageSize: number;
  pageSizes: number[];
  hasPrevious: boolean;
  hasNext: boolean;
  disabled?: boolean;
  onPageSize(size: number): void;
  onFirst(): void;
  onPrevious(): void;
  onNext(): void;
}

export function Pager(props: PagerProps) {
  return (
    <nav className="pager" aria-label="Pagination">
      <label className="pager-size">
        Rows per page
        <select value={props.pageSize} onChange={(e) => props.onPageSize(Number(e.target.value))}>
          {props.pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <span className="pager-summary">{props.summary}</span>
      <div className="pager-buttons">
        <button
          type="button"
          className="button"
          onClick={props.onFirst}
          disabled={props.disabled || !props.hasPrevious}
        >
          First
        </button>
        <button
          type="button"
          className="button"
          onClick={props.onPrevious}
          disabled={props.disabled || !props.hasPrevious}
        >
          ‹ Previous
        </button>
        <button
          type="button"
          className="button"
          onClick={props.onNext}
          disabled={props.disabled || !props.hasNext}
        >
          Next ›
        </button>
      </div>
    </nav>
  );
}
