import fs from "node:fs";
import path from "node:path";
import { buildAppSchema, printAppSchema } from "../app/schema";
import { ROOT_DIR } from "../platform/config";

/** Writes server/schema.graphql from the resolvers (the client's codegen reads it). */
const target = path.join(ROOT_DIR, "server", "schema.graphql");
fs.writeFileSync(target, printAppSchema(await buildAppSchema()));
console.log(`wrote ${path.relative(ROOT_DIR, target)}`);
