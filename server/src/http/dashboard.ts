import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Serves the built dashboard at /, with index.html for the client-side routes. */
export async function registerDashboard(app: FastifyInstance, dist: string) {
  const index = path.join(dist, "index.html");
  if (!fs.existsSync(index)) {
    app.get("/", async (_request, reply) =>
      reply
        .code(503)
        .type("text/html")
        .send("<p>The dashboard is not built. Run <code>pnpm build</code> (or <code>pnpm start</code>).</p>"),
    );
    return;
  }
  await app.register(fastifyStatic, { root: dist, prefix: "/", wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const html = (request.headers.accept ?? "").includes("text/html");
    if (request.method === "GET" && html) return reply.type("text/html").sendFile("index.html");
    return reply.code(404).send({ error: "Not Found", message: `No route ${request.method} ${request.url}` });
  });
}
