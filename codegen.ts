import type { CodegenConfig } from "@graphql-codegen/cli";

/** Types the dashboard's operations against the committed schema; no running server is needed. */
const config: CodegenConfig = {
  schema: "server/schema.graphql",
  documents: ["client/src/**/*.{ts,tsx}", "!client/src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "client/src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: { unmaskFunctionName: "useFragment" } },
      config: {
        // Decimal amounts stay strings end to end so no float ever rounds a price.
        scalars: { Money: "string", Percent: "string", DateTime: "string", JSON: "unknown" },
        strictScalars: true,
        enumType: "string-literal",
        useTypeImports: true,
        skipTypename: false,
      },
    },
  },
};

export default config;
