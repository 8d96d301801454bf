import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { PrismaClient } from "../../generated/prisma/client";
import { ErrorCode } from "../../graphql/errors";
import { isUuid } from "../../graphql/global-id";
import type { Principal } from "../../platform/auth/principal";
import { Scope } from "../../platform/auth/scopes";
import { tenantDb } from "../../platform/db";
import { isArchiveFileName } from "./history-retention.rules";

export type ArchiveAnswer =
  | { ok: false; status: number; code: string; message: string; headers?: Record<string, string> }
  | { ok: true; headers: Record<string, string>; body: Readable };

const refuse = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  ({ ok: false, status, code, message, headers }) as const;

/** The folder of history archives inside the data folder. */
export function archivesDir(config: { DATA_DIR: string }): string {
  return path.join(config.DATA_DIR, "archives");
}

/**
 * Opens one of the caller's tenant's archives by its id, for a download. The record is read under row-level
 * security (another tenant's id is simply not found), and the file is only ever the recorded name inside
 * `dir`, so neither the id nor the name can lead anywhere else.
 */
export async function openHistoryArchive(
  prisma: PrismaClient,
  dir: string,
  principal: Principal | null,
  id: string,
): Promise<ArchiveAnswer> {
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
  if (!principal.scopes.has(Scope.read_retention)) {
    return refuse(403, ErrorCode.FORBIDDEN, `This needs the ${Scope.read_retention} scope`);
  }
  const notFound = refuse(404, ErrorCode.NOT_FOUND, "No such archive");
  if (!isUuid(id)) return notFound;
  const row = await tenantDb(prisma, tenant.id).client.historyArchive.findUnique({ where: { id } });
  if (!row || row.tenantId !== tenant.id || !isArchiveFileName(row.file)) return notFound;
  const root = path.resolve(dir);
  const file = path.resolve(root, row.file);
  if (!file.startsWith(root + path.sep)) return notFound;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch {
    return refuse(404, ErrorCode.NOT_FOUND, "The archive's file is missing from the data folder");
  }
  const size = (await handle.stat()).size;
  const name = `history-${tenant.slug}-${row.month.toISOString().slice(0, 7)}${row.part > 1 ? `.${row.part}` : ""}.jsonl.gz`;
  return {
    ok: true,
    headers: {
      "content-type": "application/gzip",
      "content-length": String(size),
      "content-disposition": `attachment; filename="${name}"`,
      "x-content-sha256": row.sha256,
      "cache-control": "no-store",
    },
    body: handle.createReadStream(),
  };
}
