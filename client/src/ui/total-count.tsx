import { formatCount } from "./format";

/** A page's count beside its title ("1 item", "2,000 items"), with the number for tests in data-count. */
export function TotalCount(props: { count: number; one: string; many: string; testId: string }) {
  return (
    <output className="total" data-testid={props.testId} data-count={props.count}>
      {formatCount(props.count)} {props.count === 1 ? props.one : props.many}
    </output>
  );
}
