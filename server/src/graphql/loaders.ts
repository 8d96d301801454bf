import DataLoader from "dataloader";

/** Loads rows by id in one query per batch; a missing id loads as null. */
export function byIdLoader<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const byId = new Map((await fetch([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads the rows belonging to each key (e.g. listings per product) in one query per batch. */
export function groupedLoader<T>(fetch: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch([...keys])) {
      const k = keyOf(row);
      const list = groups.get(k);
      if (list) list.push(row);
      else groups.set(k, [row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Forgets what a context's loaders hold: a subscription keeps one context for its life, so each event reads fresh. */
export function clearLoaders(loaders: Record<string, object>) {
  for (const loader of Object.values(loaders))
    if ("clearAll" in loader) (loader as { clearAll(): void }).clearAll();
}
