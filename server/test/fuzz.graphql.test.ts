import fs from "node:fs";
import fc from "fast-check";
import { buildSchema, type GraphQLField, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { signedInAs } from "./auth";
import { argumentExamples, argumentsArbitrary, operationFor } from "./fuzz/arbitraries";
import { expectClean, expectNoChangeIfRefused } from "./fuzz/checks";
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TENANT, type FuzzWorld, startFuzzWorld } from "./fuzz/world";

/**
 * Every argument of every root field, from the committed schema, under hostile values (fast-check): no answer is a
 * 5xx, an INTERNAL_SERVER_ERROR or carries a path, a stack or SQL, and no refused request changes any data.
 */
const schema = buildSchema(fs.readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
const rootFields = (type: GraphQLObjectType | null | undefined) =>
  Object.values(type?.getFields() ?? {}) as GraphQLField<unknown, unknown>[];

// biome-ignore lint/suspicious/noExplicitAny: answers are read as JSON
type Json = any;

const describeArgs = (args: Record<string, unknown>) => {
  const text = JSON.stringify(args, (_k, v) =>
    Array.isArray(v) && v.length > 20 ? `[${v.length} items]` : v,
  );
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** Whether the API refused the call: an error, or userErrors under a policy that then applies nothing. */
function refused(status: number, body: Json, field: string, args: Json): boolean {
  if (status >= 400 || body?.errors?.length) return true;
  const userErrors = body?.data?.[field]?.userErrors;
  if (!Array.isArray(userErrors) || userErrors.length === 0) return false;
  // Saleor's REJECT_FAILED_ROWS applies the valid rows and reports the others.
  return !(field === "bulkUpdateInventory" && args?.input?.errorPolicy === "REJECT_FAILED_ROWS");
}

describe("fuzz: hostile arguments for every root field", () => {
  let world: FuzzWorld;

  beforeAll(async () => {
    world = await startFuzzWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  const fields: ["query" | "mutation", GraphQLField<unknown, unknown>][] = [
    ...rootFields(schema.getQueryType()).map((f) => ["query", f] as ["query", typeof f]),
    ...rootFields(schema.getMutationType()).map((f) => ["mutation", f] as ["mutation", typeof f]),
  ];

  const call = async (kind: "query" | "mutation", field: GraphQLField<unknown, unknown>, args: Json) => {
    const what = `${field.name}(${describeArgs(args)})`;
    // signOut ends the caller's session: it gets a session of its own, so the other fields keep theirs.
    const credentials =
      field.name === "signOut"
        ? (await signedInAs(world.server.app, FUZZ_TENANT, "OWNER", "signing-out")).headers
        : world.credentials.headers;
    const res = await fetch(`${world.server.url}/graphql`, {
      method: "POST",
      headers: {
        ...credentials,
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
      },
      body: JSON.stringify({ query: operationFor(kind, field, args), variables: args }),
    });
    const text = await res.text();
    expectClean(res.status, text, what);
    return { what, refused: refused(res.status, JSON.parse(text), field.name, args) };
  };

  fields.forEach(([kind, field], index) => {
    it(`${kind} ${field.name} over HTTP`, async () => {
      // Queries change nothing at all: one snapshot around the whole run; mutations one around each call.
      const before = kind === "query" ? await world.snapshot() : undefined;
      await fc.assert(
        fc.asyncProperty(argumentsArbitrary(field.args, world.known), async (args) => {
          if (kind === "query") await call(kind, field, args);
          else await expectNoChangeIfRefused(world, field.name, () => call(kind, field, args));
        }),
        {
          numRuns: field.args.length > 0 ? FUZZ_RUNS : 1,
          seed: FUZZ_SEED + index,
          examples: argumentExamples(field.args).map((example) => [example]),
        },
      );
      if (before) expect(await world.snapshot()).toEqual(before);
    });
  });

  it("still acts as the fuzz tenant's owner at the end: no case locked the others out", async () => {
    const res = await world.server.gql("{ viewer { role tenant { slug } } }", {}, world.credentials.headers);
    expect(res.data?.viewer).toEqual({ role: "OWNER", tenant: { slug: FUZZ_TENANT } });
  });

  for (const field of rootFields(schema.getSubscriptionType()).filter((f) => f.args.length > 0)) {
    it(`subscription ${field.name} over WebSocket`, async () => {
      await fc.assert(
        fc.asyncProperty(argumentsArbitrary(field.args, world.known), async (args) => {
          const what = `${field.name}(${describeArgs(args)})`;
          const { first, close } = await subscribeOnce(
            world,
            operationFor("subscription", field, args),
            args,
          );
          expect(close, `${what} closed the socket`).toBeUndefined();
          expectClean(200, JSON.stringify(first), what);
        }),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, examples: argumentExamples(field.args).map((e) => [e]) },
      );
    });
  }
});

/** Subscribes over graphql-ws and returns the operation's first message (or how the socket closed). */
function subscribeOnce(world: FuzzWorld, query: string, variables: unknown) {
  return new Promise<{ first?: unknown; close?: { code: number; reason: string } }>((resolve) => {
    const ws = new WebSocket(`${world.server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
    let done = false;
    const finish = (result: { first?: unknown; close?: { code: number; reason: string } }) => {
      if (done) return;
      done = true;
      ws.close();
      resolve(result);
    };
    ws.on("open", () =>
      ws.send(JSON.stringify({ type: "connection_init", payload: world.credentials.connectionParams })),
    );
    ws.on("message", (data) => {
      const message = JSON.parse(String(data));
      if (message.type === "connection_ack") {
        ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
      } else if (message.id === "1") {
        finish({ first: message });
      }
    });
    ws.on("close", (code, reason) => finish({ close: { code, reason: reason.toString() } }));
  });
}
