/** The monthly partitions (`<parent>_YYYY_MM`) a plan (EXPLAIN ANALYZE, FORMAT JSON) ran: pruned ones never do. */
export function partitionsRun(plan: unknown, parent: string): string[] {
  const pattern = new RegExp(`^${parent}_\\d{4}_\\d{2}$`);
  const names = new Set<string>();
  const walk = (node: Record<string, unknown>) => {
    const relation = node["Relation Name"];
    if (typeof relation === "string" && pattern.test(relation) && Number(node["Actual Loops"] ?? 0) > 0)
      names.add(relation);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return [...names].sort();
}
