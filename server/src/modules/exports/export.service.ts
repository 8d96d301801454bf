import { PassThrough, pipeline, type Readable } from "node:stream";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { PrismaClient } from "../../generated/prisma/client";
import { ErrorCode } from "../../graphql/errors";
import type { Principal } from "../../platform/auth/principal";
import { Scope } from "../../platform/auth/scopes";
import { tenantDb } from "../../platform/db";
import { CONTENT_TYPES, encodeRows, isExportFormat } from "./export.format";
import { EXPORT_LISTS } from "./export.lists";
import { exportArgs } from "./export.params";

/** Longest an export's read transaction may stay open (a slow reader holds it that long at most). */
export const EXPORT_TIMEOUT_MS = 10 * 60_000;

/** Exports one process streams at once: each holds one database connection for its whole read. */
export const MAX_CONCURRENT_EXPORTS = 2;

export type ExportAnswer =
  | { ok: false; status: number; code: string; message: string; headers?: Record<string, string> }
  | { ok: true; headers: Record<string, string>; body: Readable };

const refuse = (
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): ExportAnswer => ({ ok: false, status, code, message, headers });

/** A client error raised by filter code (GraphQL's codes) as an export's 400, or undefined for anything else. */
function inputProblem(error: unknown): ExportAnswer | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const code = error.extensions.code;
  if (typeof code !== "string" || code === ErrorCode.INTERNAL_SERVER_ERROR) return undefined;
  if (code === ErrorCode.FORBIDDEN) return refuse(403, code, error.message);
  if (code === ErrorCode.UNAUTHENTICATED) return refuse(401, code, error.message);
  return refuse(400, code, error.message);
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Streams the tenant's lists as files: `/exports/<list>.<format>` with the list's GraphQL filter (and order) as
 * query parameters. Rows are read in keyset batches inside one transaction with the tenant set, so row-level
 * security applies and the file is one consistent snapshot, and written as they are read.
 */
export class ExportService {
  private active = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly schema: GraphQLSchema,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  async start(file: string, principal: Principal | null, query: URLSearchParams): Promise<ExportAnswer> {
    const match = /^([a-z]+)\.([A-Za-z0-9]+)$/.exec(file);
    const list = match ? EXPORT_LISTS.get(match[1]!) : undefined;
    if (!match || !list) {
      return refuse(404, ErrorCode.NOT_FOUND, `No export ${JSON.stringify(file.slice(0, 60))}`);
    }
    const format = match[2]!;
    if (!isExportFormat(format)) {
      return refuse(400, ErrorCode.BAD_USER_INPUT, "The format must be csv, json or jsonl");
    }
    if (!principal) {
      return refuse(
        401,
        ErrorCode.UNAUTHENTICATED,
        "Sign in, or send an API key as `Authorization: Bearer <key>`",
        {
          "www-authenticate": 'Bearer realm="inventory-sync"',
        },
      );
    }
    const tenant = principal.tenant;
    if (!tenant)
      return refuse(403, ErrorCode.FORBIDDEN, "This needs a tenant: sign in to one, or use its API key");
    for (const scope of [Scope.read_exports, list.scope]) {
      if (!principal.scopes.has(scope))
        return refuse(403, ErrorCode.FORBIDDEN, `This needs the ${scope} scope`);
    }

    const db = tenantDb(this.prisma, tenant.id);
    let prepared: Awaited<ReturnType<typeof list.prepare>>;
    try {
      prepared = await list.prepare(db, exportArgs(this.schema, list, query));
    } catch (error) {
      const answer = inputProblem(error);
      if (answer) return answer;
      throw error;
    }
    if (this.active >= MAX_CONCURRENT_EXPORTS) {
      return refuse(429, ErrorCode.THROTTLED, "Too many exports are running; try again shortly", {
        "retry-after": "5",
      });
    }

    this.active++;
    const body = new PassThrough();
    // The slot is free once the last byte is handed over (or the client left), not only after COMMIT: a client
    // that downloads one export after another is never refused for its own previous download.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.active--;
    };
    body.once("close", release);
    db.transaction(
      (tx) =>
        new Promise<void>((resolve, reject) => {
          pipeline(encodeRows(format, list.columns, prepared.rows(tx)), body, (error) =>
            error ? reject(error) : resolve(),
          );
        }),
      { timeout: EXPORT_TIMEOUT_MS },
    )
      .catch((error) => {
        // Headers are sent by now: the response ends early (the client sees a broken download), never a 500.
        if (!body.destroyed) body.destroy(error as Error);
        if ((error as { code?: string }).code !== "ERR_STREAM_PREMATURE_CLOSE") this.onError(error);
      })
      .finally(release);
    return {
      ok: true,
      headers: {
        "content-type": CONTENT_TYPES[format],
        "content-disposition": `attachment; filename="${list.name}-${tenant.slug}-${today()}.${format}"`,
        "cache-control": "no-store",
      },
      body,
    };
  }
}
