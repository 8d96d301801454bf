import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/** The fields named `name` directly in these selection sets, through fragments and inline fragments. */
function childFields(sets: readonly SelectionSetNode[], name: string, info: GraphQLResolveInfo): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return found;
}

/**
 * Whether the operation selects a field at `path` below the field being resolved (say `nodes.listings`),
 * so a resolver can read in one statement what the operation will ask for. Directives are not evaluated:
 * a field under `@skip` counts as selected, which costs a read and changes no answer.
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let fields: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    fields = childFields(
      fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : [])),
      name,
      info,
    );
    if (fields.length === 0) return false;
  }
  return true;
}
