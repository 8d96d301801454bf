import type { Alert, Prisma } from "../../generated/prisma/client";
import { byIdLoader, groupedLoader } from "../../graphql/loaders";
import { type ConnectionArgs, newestFirst, paginate } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import type { AlertFilter } from "./alert.types";

/** The API's alert filter as a Prisma condition (the tenant comes from row-level security). */
export function alertWhere(filter: AlertFilter | null | undefined): Prisma.AlertWhereInput {
  const where: Prisma.AlertWhereInput = {};
  if (filter?.status?.length) where.status = { in: filter.status };
  if (filter?.priority?.length) where.priority = { in: filter.priority };
  if (filter?.type?.length) where.type = { in: filter.type };
  if (filter?.sku) where.product = { sku: filter.sku };
  return where;
}

export async function alertPage(db: TenantDb, args: ConnectionArgs, filter: AlertFilter | null | undefined) {
  const where = alertWhere(filter);
  const page = await paginate(args, newestFirst<Alert>(), where, (q) =>
    db.client.alert.findMany(q as Prisma.AlertFindManyArgs),
  );
  return { page, count: () => db.client.alert.count({ where }) };
}

export function createAlertLoaders(db: TenantDb) {
  return {
    alertById: byIdLoader((ids) => db.client.alert.findMany({ where: { id: { in: ids } } })),
    openAlertsByProduct: groupedLoader(
      (productIds) =>
        db.client.alert.findMany({
          where: { productId: { in: productIds }, status: { in: ["OPEN", "ACKNOWLEDGED"] } },
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        }),
      (row) => row.productId ?? "",
    ),
    eventsByAlert: groupedLoader(
      (alertIds) =>
        db.client.alertEvent.findMany({
          where: { alertId: { in: alertIds } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
      (row) => row.alertId,
    ),
  };
}
