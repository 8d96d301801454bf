import type { FastifyInstance } from "fastify";
import { GraphQLError } from "graphql";
import type { PrismaClient } from "../generated/prisma/client";
import { ErrorCode } from "../graphql/errors";
import { HISTORY_ARCHIVES_PATH, openHistoryArchive } from "../modules/history";
import type { Principal } from "../platform/auth/principal";

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * GET /history-archives/<id>: one of the tenant's history archives (gzip JSONL), authenticated as the API is
 * (Bearer access token or API key, tenant by x-tenant or a `tenant` parameter), owners only. Errors are
 * `{ error: { code, message } }`.
 */
export function registerHistoryArchives(
  app: FastifyInstance,
  prisma: PrismaClient,
  dir: string,
  authenticate: (authorization: unknown, tenant: unknown) => Promise<Principal | null>,
) {
  app.get<{ Params: { id: string } }>(`${HISTORY_ARCHIVES_PATH}/:id`, async (request, reply) => {
    const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      reply
        .code(status)
        .headers(headers)
        .type("application/json; charset=utf-8")
        .send({ error: { code, message } });
    const search = request.url.indexOf("?");
    const query = new URLSearchParams(search === -1 ? "" : request.url.slice(search + 1));
    const header = first(request.headers["x-tenant"]);
    const named = query.getAll("tenant");
    if (named.length > 1 || (header !== undefined && named.length === 1 && named[0] !== header)) {
      return fail(400, ErrorCode.BAD_USER_INPUT, "Name the tenant once: x-tenant or `tenant`, not both");
    }
    let principal: Principal | null;
    try {
      principal = await authenticate(first(request.headers.authorization), header ?? named[0]);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const code = String(error.extensions.code ?? ErrorCode.BAD_REQUEST);
      const status = code === ErrorCode.UNAUTHENTICATED ? 401 : code === ErrorCode.FORBIDDEN ? 403 : 400;
      return fail(status, code, error.message);
    }
    const answer = await openHistoryArchive(prisma, dir, principal, request.params.id);
    if (!answer.ok) return fail(answer.status, answer.code, answer.message, answer.headers);
    return reply.code(200).headers(answer.headers).send(answer.body);
  });
}
