import fs from "node:fs";
import path from "node:path";
import { buildAppSchema, printAppSchema } from "../app/schema";
import { ROOT_DIR } from "../platform/config";

/** Writes server/schema.graphql from the resolvers; with --check, fails if the committed file is stale. */
const target = path.join(ROOT_DIR, "server", "schema.graphql");
// Printing never subscribes: a bus that refuses to is enough.
const inertPubSub = {
  publish() {},
  subscribe(): never {
    throw new Error("emit-schema has no event bus");
  },
};
const sdl = printAppSchema(await buildAppSchema(inertPubSub));
if (process.argv.includes("--check")) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (current !== sdl) {
    console.error("server/schema.graphql is stale: run `pnpm schema:emit` and commit it");
    process.exit(1);
  }
  console.log("server/schema.graphql is up to date");
} else {
  fs.writeFileSync(target, sdl);
  console.log(`wrote ${path.relative(ROOT_DIR, target)}`);
}
