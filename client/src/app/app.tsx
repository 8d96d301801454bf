import { type ComponentType, useEffect } from "react";
import { AlertsNavBadge, AlertsPage } from "../modules/alerts";
import { ConflictsPage } from "../modules/conflicts";
import { InventoryPage } from "../modules/inventory";
import { AccountMenu } from "../modules/session";
import { SyncPage } from "../modules/sync";
import { Link, navigate, usePathname } from "./router";

interface Route {
  path: string;
  label: string;
  page: ComponentType;
  /** Shown beside the label in the nav (e.g. a count). */
  badge?: ComponentType;
}

/** The dashboard's pages; the nav is built from this list, so it only ever offers pages that exist. */
const ROUTES: Route[] = [
  { path: "/inventory", label: "Inventory", page: InventoryPage },
  { path: "/sync", label: "Sync", page: SyncPage },
  { path: "/conflicts", label: "Conflicts", page: ConflictsPage },
  { path: "/alerts", label: "Alerts", page: AlertsPage, badge: AlertsNavBadge },
];
const HOME = "/inventory";

export function App() {
  const pathname = usePathname();
  const route = ROUTES.find((r) => r.path === pathname.replace(/\/+$/, ""));

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
        <nav aria-label="Main">
          <ul className="nav">
            {ROUTES.map((r) => (
              <li key={r.path}>
                <Link href={r.path} aria-current={r === route ? "page" : undefined}>
                  {r.label}
                  {r.badge ? <r.badge /> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <AccountMenu />
      </header>
      <main className="content">
        {route ? <route.page /> : pathname === "/" ? null : <NotFound pathname={pathname} />}
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
