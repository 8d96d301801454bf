import { type ComponentType, Suspense, useEffect, useState } from "react";
import type { AccessScope } from "../gql/graphql";
import { AlertsNavBadge, AlertsPage } from "../modules/alerts";
import { AnalyticsPage } from "../modules/analytics";
import { ApiKeysPage } from "../modules/api-keys";
import { ConflictsPage } from "../modules/conflicts";
import { InventoryPage, ItemPage } from "../modules/inventory";
import { NotificationBell } from "../modules/notifications";
import { AccountMenu, useViewer } from "../modules/session";
import { SettingsPage } from "../modules/settings";
import { SyncPage } from "../modules/sync";
import { TeamPage } from "../modules/team";
import { Spinner } from "../ui/spinner";
import { Link, navigate, usePathname } from "./router";
import { ShortcutHelp, useShortcuts } from "./shortcuts";

interface Route {
  path: string;
  label: string;
  page: ComponentType;
  /** The scope a user needs to see the page (and its nav entry); every signed-in user when absent. */
  scope?: AccessScope;
  /** Shown beside the label in the nav (e.g. a count). */
  badge?: ComponentType;
}

/** The dashboard's pages; the nav is built from this list, so it only ever offers pages that exist. */
const ROUTES: Route[] = [
  { path: "/inventory", label: "Inventory", page: InventoryPage },
  { path: "/sync", label: "Sync", page: SyncPage },
  { path: "/conflicts", label: "Conflicts", page: ConflictsPage, scope: "read_conflicts" },
  { path: "/alerts", label: "Alerts", page: AlertsPage, badge: AlertsNavBadge, scope: "read_alerts" },
  { path: "/analytics", label: "Analytics", page: AnalyticsPage, scope: "read_analytics" },
  { path: "/settings", label: "Settings", page: SettingsPage, scope: "read_settings" },
  { path: "/team", label: "Team", page: TeamPage, scope: "read_team" },
  { path: "/api-keys", label: "API keys", page: ApiKeysPage, scope: "read_api_keys" },
];
const HOME = "/inventory";

export function App() {
  const pathname = usePathname();
  const { scopes } = useViewer();
  const allowed = ROUTES.filter((r) => !r.scope || scopes.includes(r.scope));
  const path = pathname.replace(/\/+$/, "");
  // An item's own page lives under the inventory: /inventory/<item id>.
  const itemId = /^\/inventory\/([^/]+)$/.exec(path)?.[1];
  const route = allowed.find((r) => r.path === (itemId ? "/inventory" : path));
  const hidden = !route && ROUTES.some((r) => r.path === path);
  // On a phone the nav folds behind a button; moving to a page folds it again.
  const [navOpen, setNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the path is the trigger, not a value read
  useEffect(() => setNavOpen(false), [pathname]);
  useShortcuts();

  useEffect(() => {
    if (pathname === "/") navigate(`${HOME}${window.location.search}`, { replace: true });
  }, [pathname]);

  return (
    <div className="shell">
      <header className="topbar">
        <Link href={HOME} className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Inventory Sync
        </Link>
        <button
          type="button"
          className="button button-quiet nav-toggle"
          aria-expanded={navOpen}
          aria-controls="main-nav"
          onClick={() => setNavOpen((open) => !open)}
        >
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" className={navOpen ? "is-open" : undefined}>
          <ul className="nav">
            {allowed.map((r) => (
              <li key={r.path}>
                <Link href={r.path} aria-current={r === route ? "page" : undefined}>
                  {r.label}
                  {r.badge ? <r.badge /> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <NotificationBell />
        <AccountMenu />
        <ShortcutHelp />
      </header>
      <main className="content">
        {itemId && route ? (
          <ItemPage key={itemId} id={decodeURIComponent(itemId)} />
        ) : route ? (
          // A page loaded on first use (Analytics) shows a spinner meanwhile.
          <Suspense fallback={<Spinner label="Loading" />}>
            <route.page />
          </Suspense>
        ) : hidden ? (
          <NotAllowed />
        ) : pathname === "/" ? null : (
          <NotFound pathname={pathname} />
        )}
      </main>
    </div>
  );
}

function NotFound({ pathname }: { pathname: string }) {
  return (
    <section className="empty-state">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{pathname}</code>. <Link href={HOME}>Go to the inventory</Link>.
      </p>
    </section>
  );
}

/** A page that exists, for roles with a scope this user lacks (the server would refuse its data anyway). */
function NotAllowed() {
  return (
    <section className="empty-state" data-testid="not-allowed">
      <h1>Not available to your role</h1>
      <p>
        Ask an owner or admin of this team if you need it. <Link href={HOME}>Go to the inventory</Link>.
      </p>
    </section>
  );
}
