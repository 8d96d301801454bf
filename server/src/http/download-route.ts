import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { GraphQLError } from "graphql";
import { ErrorCode } from "../graphql/errors";
import type { Principal } from "../platform/auth/principal";

/** What a download's module answers: a refusal with its code, or the headers and body to stream. */
export type DownloadAnswer =
  | { ok: false; status: number; code: string; message: string; headers?: Record<string, string> }
  | { ok: true; headers: Record<string, string>; body: Readable };

export type Authenticate = (authorization: unknown, tenant: unknown) => Promise<Principal | null>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * GET `<path>/:name`: a file authenticated as the API is (Bearer access token or API key, tenant by x-tenant or
 * a `tenant` parameter, named once), answered by `open`. Errors are `{ error: { code, message } }`.
 */
export function registerDownload(
  app: FastifyInstance,
  path: string,
  authenticate: Authenticate,
  open: (name: string, principal: Principal | null, query: URLSearchParams) => Promise<DownloadAnswer>,
) {
  app.get<{ Params: { name: string } }>(`${path}/:name`, async (request, reply) => {
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
    const answer = await open(request.params.name, principal, query);
    if (!answer.ok) return fail(answer.status, answer.code, answer.message, answer.headers);
    return reply.code(200).headers(answer.headers).send(answer.body);
  });
}
