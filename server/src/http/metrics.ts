import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { FastifyInstance } from "fastify";
import type { Metrics } from "../platform/metrics";

/** Whether an Authorization header carries the metrics token (constant-time). */
function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7).trim() : "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

type Answer = { status: number; type: string; body: string };

async function answer(
  metrics: Metrics,
  token: string | undefined,
  header: string | undefined,
): Promise<Answer> {
  const json = (status: number, code: string, message: string) => ({
    status,
    type: "application/json",
    body: JSON.stringify({ error: { code, message } }),
  });
  // Unset, the figures stay private: nothing is served rather than everything to anyone.
  if (!token) return json(503, "METRICS_DISABLED", "Set METRICS_TOKEN to serve /metrics");
  if (!authorized(header, token))
    return json(401, "UNAUTHENTICATED", "Send Authorization: Bearer <METRICS_TOKEN>");
  return { status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

/** GET /metrics on the server: Prometheus text format behind the METRICS_TOKEN bearer token. */
export function registerMetrics(app: FastifyInstance, deps: { metrics: Metrics; token?: string }): void {
  app.get("/metrics", async (request, reply) => {
    const a = await answer(deps.metrics, deps.token, request.headers.authorization);
    return reply.code(a.status).type(a.type).send(a.body);
  });
}

/** A worker's own /metrics listener (workers serve no other HTTP). */
export async function serveMetrics(
  metrics: Metrics,
  options: { port: number; host: string; token?: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    void answer(metrics, options.token, req.headers.authorization).then(
      (a) => res.writeHead(a.status, { "content-type": a.type }).end(a.body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${options.host === "0.0.0.0" ? "localhost" : options.host}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
