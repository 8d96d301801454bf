/** Where the server answers GraphQL: queries and mutations over HTTP POST, subscriptions over graphql-ws. */
export const GRAPHQL_PATH = "/graphql";
