import type { UserRole } from "../../gql/graphql";
import type { Tone } from "../../ui/badge";

// Keyed by the generated union: a role added to the schema fails type-checking until labelled here.
export const ROLES: Record<UserRole, { label: string; hint: string; tone: Tone }> = {
  OWNER: { label: "Owner", hint: "Everything, ownership included.", tone: "accent" },
  ADMIN: { label: "Admin", hint: "Everything but ownership: team, keys, settings.", tone: "info" },
  EDITOR: { label: "Editor", hint: "Inventory, syncs, conflicts and alerts.", tone: "success" },
  VIEWER: { label: "Viewer", hint: "Reads only.", tone: "neutral" },
};

/** Most powerful first, as the role pickers list them. */
export const ROLE_ORDER: UserRole[] = ["OWNER", "ADMIN", "EDITOR", "VIEWER"];
