import type { UserRole } from "../../generated/prisma/enums";
import type { Scope } from "./scopes";

/** The tenant a request acts in. */
export interface TenantRef {
  id: string;
  slug: string;
}

/** Who is calling, as the credential proves it: a signed-in user in one of their tenants, or an API key. */
export interface Principal {
  kind: "USER" | "API_KEY";
  /** The user's id, or the API key's id. */
  id: string;
  /** The user's session (USER only): revoking it ends the principal. */
  sessionId: string | null;
  /** The tenant the request acts in; null for a user without any membership. */
  tenant: TenantRef | null;
  /** The user's role in that tenant (USER only). */
  role: UserRole | null;
  scopes: ReadonlySet<Scope>;
}

export function hasScope(principal: Principal | null | undefined, scope: Scope): boolean {
  return !!principal?.tenant && principal.scopes.has(scope);
}
