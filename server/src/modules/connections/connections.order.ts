/** A connection as the order needs it: listed by priority, lowest first. */
export interface Ranked {
  id: string;
  priority: number;
}

/** The priorities a connection may have. */
export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 1000;

/**
 * The priority writes that make the connections list in `order` (ids, first wins): each place keeps a priority
 * already in use where it can, ties are broken apart so the order cannot fall back to names, and only the
 * connections whose priority changes are returned. `ranked` and `order` hold the same ids.
 */
export function orderPriorities(ranked: readonly Ranked[], order: readonly string[]): Ranked[] {
  const current = new Map(ranked.map((r) => [r.id, r.priority]));
  const used = ranked.map((r) => r.priority).sort((a, b) => a - b);
  let next: number[] = [];
  for (const [i, p] of used.entries()) next.push(i === 0 ? p : Math.max(p, next[i - 1]! + 1));
  // Near the top of the range there is no room above: number them from 1 instead.
  if (next.length > 0 && next.at(-1)! > MAX_PRIORITY) next = order.map((_, i) => i + 1);
  return order.map((id, i) => ({ id, priority: next[i]! })).filter((r) => r.priority !== current.get(r.id));
}
