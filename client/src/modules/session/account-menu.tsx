import { useState } from "react";
import { chooseTenant, signOut } from "./session-store";
import { useViewer } from "./viewer";

const ROLE: Record<string, string> = { OWNER: "Owner", ADMIN: "Admin", EDITOR: "Editor", VIEWER: "Viewer" };

/** The top bar's right side: the tenant acted in (switchable), who is signed in with which role, sign-out. */
export function AccountMenu() {
  const viewer = useViewer();
  const [leaving, setLeaving] = useState(false);
  const tenants = viewer.memberships.map((m) => m.tenant);
  return (
    <div className="account">
      {tenants.length > 1 ? (
        <label className="tenant-switch">
          <span className="visually-hidden">Tenant</span>
          <select
            aria-label="Tenant"
            value={viewer.tenant?.slug ?? ""}
            onChange={(e) => chooseTenant(e.target.value)}
          >
            {tenants.map((t) => (
              <option key={t.id} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="tenant-name" data-testid="tenant-name">
          {viewer.tenant?.name}
        </span>
      )}
      <span className="who" data-testid="signed-in-as" title={viewer.user?.email ?? undefined}>
        {viewer.user?.name ?? viewer.user?.email}
        {viewer.role ? <span className="role-badge">{ROLE[viewer.role] ?? viewer.role}</span> : null}
      </span>
      <button
        type="button"
        className="button button-quiet"
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          void signOut().finally(() => setLeaving(false));
        }}
      >
        Sign out
      </button>
    </div>
  );
}
