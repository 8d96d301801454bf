import { type ReactNode, useEffect, useState } from "react";
import { Provider as UrqlProvider } from "urql";
import { restoreSession, SignInPage, useSession, ViewerProvider } from "../modules/session";
import { Spinner } from "../ui/spinner";
import { createGraphQLClient } from "./urql";

/**
 * Everything the pages rely on from above: a session (or the sign-in page), a GraphQL client made for that
 * session (a new sign-in starts from an empty cache), and who is signed in.
 */
export function Providers({ children }: { children: ReactNode }) {
  const session = useSession();
  useEffect(() => {
    void restoreSession();
  }, []);
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
      <ViewerProvider>{children}</ViewerProvider>
    </UrqlProvider>
  );
}
