import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../platform/metrics";
import { registerMetrics, serveMetrics } from "./metrics";

describe("/metrics without METRICS_TOKEN", () => {
  it("serves nothing (503) on the server, so the figures stay private until a token is configured", async () => {
    const app = Fastify();
    registerMetrics(app, { metrics: createMetrics("server") });
    const res = await app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer " } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: { code: "METRICS_DISABLED", message: "Set METRICS_TOKEN to serve /metrics" },
    });
    await app.close();
  });

  it("serves nothing (503) on a worker's own listener either, and 404 off /metrics", async () => {
    const served = await serveMetrics(createMetrics("worker"), { port: 0, host: "127.0.0.1" });
    try {
      expect((await fetch(served.url)).status).toBe(503);
      expect((await fetch(served.url.replace("/metrics", "/other"))).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});
