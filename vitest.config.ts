import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql is CommonJS and loads graphql's CJS build: every importer must share that one realm.
    alias: {
      graphql: require.resolve("graphql", { paths: [new URL("./server", import.meta.url).pathname] }),
    },
  },
  test: {
    include: ["server/**/*.test.ts", "client/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    globalSetup: ["server/test/global-setup.ts"],
    // type-graphql's decorators need the metadata polyfill before any schema class loads.
    setupFiles: ["server/test/setup.ts"],
    reporters: ["default", ["json", { outputFile: ".data/test-report.json" }]],
    testTimeout: 30_000,
    // A browser test's polls wait for the page as a person would; on a busy 2-core machine 1 s is not enough.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    pool: "forks",
    // Files in one worker share its loaded modules: importing the server for every file cost most of a
    // minute. Each file still starts its own server and database; env changes go through test/env.ts.
    isolate: false,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
