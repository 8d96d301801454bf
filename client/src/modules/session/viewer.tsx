import { createContext, type ReactNode, useContext, useEffect } from "react";
import { useQuery } from "urql";
import { graphql } from "../../gql";
import type { AccessScope, ViewerQuery } from "../../gql/graphql";
import { ErrorMessage } from "../../ui/error-message";
import { Spinner } from "../../ui/spinner";
import { chosenTenant, forgetTenant, signOut } from "./session-store";

export const ViewerQueryDocument = graphql(`
  query Viewer {
    viewer {
      role
      scopes
      user {
        id
        name
        email
      }
      tenant {
        id
        slug
        name
      }
      memberships {
        id
        role
        tenant {
          id
          slug
          name
        }
      }
    }
  }
`);

export type Viewer = ViewerQuery["viewer"];

const ViewerContext = createContext<Viewer | null>(null);

/** Who is signed in, in which tenant, with which scopes; loaded once before any page renders. */
export function ViewerProvider({ children }: { children: ReactNode }) {
  const [{ data, error, fetching }, refetch] = useQuery({
    query: ViewerQueryDocument,
    requestPolicy: "network-only",
  });
  // The tenant this browser remembered is no longer one of the user's: fall back to their first.
  const staleTenant =
    !!chosenTenant() && !!error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN");
  useEffect(() => {
    if (!staleTenant) return;
    forgetTenant();
    refetch({ requestPolicy: "network-only" });
  }, [staleTenant, refetch]);

  if (data?.viewer.tenant)
    return <ViewerContext.Provider value={data.viewer}>{children}</ViewerContext.Provider>;
  if (data?.viewer) return <NoTenant viewer={data.viewer} />;
  if (error && !fetching && !staleTenant)
    return (
      <main className="content">
        <ErrorMessage error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      </main>
    );
  return (
    <main className="content centered">
      <Spinner label="Loading your account" />
    </main>
  );
}

/** Signed in, but a member of no seller's team (never invited, or removed from the last one). */
function NoTenant({ viewer }: { viewer: Viewer }) {
  return (
    <main className="sign-in">
      <section className="sign-in-card" aria-labelledby="no-tenant-title">
        <h1 id="no-tenant-title">No team yet</h1>
        <p className="muted">
          {viewer.user?.email ?? "This account"} is not a member of any seller's team. Ask an owner to invite
          you, then open the invitation link.
        </p>
        <button type="button" className="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </section>
    </main>
  );
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer outside ViewerProvider");
  return viewer;
}

/** Whether the signed-in user may do what a scope allows in this tenant (the server checks it again). */
export function useCan(scope: AccessScope): boolean {
  return useViewer().scopes.includes(scope);
}
