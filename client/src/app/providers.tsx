import { type ReactNode, useState } from "react";
import { Provider as UrqlProvider } from "urql";
import { createGraphQLClient } from "./urql";

/** Everything the pages rely on from above: the GraphQL client. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(createGraphQLClient);
  return <UrqlProvider value={client}>{children}</UrqlProvider>;
}
