type Json = Record<string, unknown>;

interface Tree {
  [key: string]: Tree | true;
}

/** Relations of Medusa's entities: `*` selects an entity's own fields, never these. */
const RELATIONS = new Set([
  "product",
  "variants",
  "prices",
  "options",
  "images",
  "inventory_items",
  "inventory",
  "location_levels",
]);

function add(tree: Tree, path: string[]): void {
  const [head, ...rest] = path;
  if (!head) return;
  if (rest.length === 0) {
    tree[head] = true;
    return;
  }
  const next = tree[head];
  const child: Tree = next && next !== true ? next : next === true ? { "*": true } : {};
  tree[head] = child;
  add(child, rest);
}

function remove(tree: Tree, path: string[]): void {
  const [head, ...rest] = path;
  if (!head || !(head in tree)) return;
  const node = tree[head];
  if (rest.length === 0 || node === true) delete tree[head];
  else remove(node!, rest);
}

/** `*prices` and `prices.*` both mean the relation with all its own fields. */
function pathOf(field: string): string[] {
  const f = field.startsWith("*") ? `${field.slice(1)}.*` : field;
  return f.split(".").filter(Boolean);
}

function pick(value: unknown, node: Tree | true): unknown {
  if (node === true || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, node));
  const source = value as Json;
  const out: Json = {};
  if ("id" in source) out.id = source.id;
  if (node["*"] === true) for (const [k, v] of Object.entries(source)) if (!RELATIONS.has(k)) out[k] = v;
  for (const [k, child] of Object.entries(node)) {
    if (k === "*" || !(k in source)) continue;
    // A relation named without sub-fields comes with its own fields, as `*relation` would.
    out[k] = child === true && RELATIONS.has(k) ? pick(source[k], { "*": true }) : pick(source[k], child);
  }
  return out;
}

/**
 * Applies Medusa's `fields` query parameter to a fully rendered entity: a list replaces the route's defaults,
 * `+field` adds to them and `-field` removes from them; `*relation` (or `relation.*`) brings a relation with
 * its own fields, `relation.field` single fields of it. The entity's id always comes.
 */
export function selectFields(entity: Json, fields: string | undefined, defaults: readonly string[]): Json {
  const tokens = (fields ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const replaces = tokens.some((t) => !t.startsWith("+") && !t.startsWith("-"));
  const tree: Tree = {};
  for (const f of replaces ? [] : defaults) add(tree, pathOf(f));
  for (const t of tokens) {
    if (t.startsWith("-")) remove(tree, pathOf(t.slice(1)));
    else add(tree, pathOf(t.startsWith("+") ? t.slice(1) : t));
  }
  return pick(entity, tree) as Json;
}
