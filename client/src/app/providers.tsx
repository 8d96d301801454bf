import { type ComponentType, type ReactNode, useEffect, useState } from "react";
import { Provider as UrqlProvider } from "urql";
import {
  ResetPasswordPage,
  restoreSession,
  SignInPage,
  useSession,
  ViewerProvider,
} from "../modules/session";
import { AcceptInvitationPage } from "../modules/team";
import { Spinner } from "../ui/spinner";
import { ToastProvider } from "../ui/toast";
import { usePathname } from "./router";
import { createGraphQLClient } from "./urql";

/**
 * Pages opened from a link sent to a person, shown whether or not this browser is signed in: their token is
 * the credential. Succeeding there leads on to the dashboard.
 */
const PUBLIC_PAGES: Record<string, ComponentType> = {
  "/accept-invitation": AcceptInvitationPage,
  "/reset-password": ResetPasswordPage,
};

/**
 * Everything the pages rely on from above: a session (or the sign-in page), a GraphQL client made for that
 * session (a new sign-in starts from an empty cache), who is signed in, and the toasts that tell how actions went. The links sent by email have
 * pages of their own, before all that.
 */
export function Providers({ children }: { children: ReactNode }) {
  const session = useSession();
  const pathname = usePathname();
  useEffect(() => {
    void restoreSession();
  }, []);
  const Public = PUBLIC_PAGES[pathname.replace(/\/+$/, "")];
  if (Public) return <Public />;
  if (session.status === "checking")
    return (
      <main className="content centered">
        <Spinner label="Checking your session" />
      </main>
    );
  if (session.status === "signed-out") return <SignInPage session={session} />;
  return <SignedIn>{children}</SignedIn>;
}

function SignedIn({ children }: { children: ReactNode }) {
  const [client] = useState(createGraphQLClient);
  return (
    <UrqlProvider value={client}>
      <ViewerProvider>
        <ToastProvider>{children}</ToastProvider>
      </ViewerProvider>
    </UrqlProvider>
  );
}
