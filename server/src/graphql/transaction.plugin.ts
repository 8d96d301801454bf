import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "./context";

/**
 * A query runs in one transaction: the tenant is named once and every resolver reads over one
 * connection. Mutations keep their own transactions, which their services open where a write needs one.
 */
export function queryTransactionPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation, contextValue }) {
          if (operation.operation === "query") await contextValue.pinTransaction();
        },
        async willSendResponse({ contextValue }) {
          // The answer is already made: a commit that fails changes nothing it says (queries do not write).
          await contextValue
            .releaseTransaction()
            .catch((error) => contextValue.log.warn({ err: error }, "could not end a query's transaction"));
        },
      };
    },
  };
}
