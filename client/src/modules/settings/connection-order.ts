/** A connection as the order needs it: the list shows them by priority, lowest first. */
export interface Ranked {
  id: string;
  priority: number;
}

/** The highest priority the API accepts. */
export const MAX_PRIORITY = 1000;

/**
 * The priorities that put `ranked` (shown lowest priority first) in the order with the item at `from` moved to
 * `to`: each keeps a priority already in use where it can, ties are broken apart so the order cannot fall back to
 * names, and only the connections whose priority changes are returned, in the new order.
 */
export function movePriorities(ranked: readonly Ranked[], from: number, to: number): Ranked[] {
  if (from === to || from < 0 || to < 0 || from >= ranked.length || to >= ranked.length) return [];
  const order = [...ranked];
  const [moved] = order.splice(from, 1);
  order.splice(to, 0, moved!);
  const used = ranked.map((r) => r.priority).sort((a, b) => a - b);
  let next: number[] = [];
  for (const [i, p] of used.entries()) next.push(i === 0 ? p : Math.max(p, next[i - 1]! + 1));
  // Near the top of the range there is no room above: number them from 1 instead.
  if (next.at(-1)! > MAX_PRIORITY) next = order.map((_, i) => i + 1);
  return order
    .map((r, i) => ({ id: r.id, priority: next[i]! }))
    .filter((r, i) => r.priority !== order[i]!.priority);
}
