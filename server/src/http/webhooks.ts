import type { FastifyInstance } from "fastify";
import { MAX_WEBHOOK_BYTES, WEBHOOK_PATH, WebhookErrorCode, type WebhookIntake } from "../modules/webhooks";
import type { Metrics } from "../platform/metrics";

/**
 * POST /webhooks/:endpointId: each connection's own URL. The intake verifies, stores and answers at once; this
 * route only keeps the raw bytes (signatures cover them exactly), turns the intake's answer into HTTP and counts
 * it (by the endpoint's platform: a crafted path never mints a new series).
 */
export async function registerWebhooks(app: FastifyInstance, intake: WebhookIntake, metrics: Metrics) {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error, request, reply) => {
      if ((error as { code?: string }).code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        metrics.webhooks.inc({ platform: "unknown", outcome: "413" });
        const message = `The body is larger than ${MAX_WEBHOOK_BYTES} bytes`;
        return reply.code(413).send({ error: { code: WebhookErrorCode.PAYLOAD_TOO_LARGE, message } });
      }
      request.log.error({ err: error }, "webhook failed");
      metrics.webhooks.inc({ platform: "unknown", outcome: "500" });
      return reply.code(500).send({ error: { code: "INTERNAL_SERVER_ERROR", message: "Internal error" } });
    });
    scope.post<{ Params: { endpointId: string } }>(
      `${WEBHOOK_PATH}/:endpointId`,
      { bodyLimit: MAX_WEBHOOK_BYTES },
      async (request, reply) => {
        const answer = await intake.receive({
          endpointId: request.params.endpointId,
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          ip: request.ip ?? null,
        });
        metrics.webhooks.inc({ platform: answer.platform ?? "unknown", outcome: String(answer.status) });
        return reply
          .code(answer.status)
          .headers(answer.headers ?? {})
          .send(answer.body);
      },
    );
  });
}
