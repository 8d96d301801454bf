import type { Prisma } from "../../generated/prisma/client";
import { type ConnectionArgs, newestFirst, paginate } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import { maskAddress, sanitizeMailError } from "./mail.rules";
import { type MailDelivery, type MailDeliveryFilter, MailDeliveryStatus } from "./mail-delivery.types";

/** Whose deliveries a caller reads: the tenant's (the audit scope) or one user's, and whose addresses in full. */
export interface DeliveryReader {
  /** Only messages addressed to this user; null for every message of the tenant. */
  recipientUserId: string | null;
  /** The caller's own user id (their own address shows in full). */
  userId: string | null;
  /** Whether every address shows in full (the caller may read the team). */
  fullAddresses: boolean;
}

// Every column the app role may read: the body and the dedupe key are not among them (a column grant).
const COLUMNS = {
  id: true,
  kind: true,
  recipientUserId: true,
  toAddress: true,
  subject: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  sentAt: true,
  createdAt: true,
} as const satisfies Prisma.MailOutboxSelect;

type Row = Prisma.MailOutboxGetPayload<{ select: typeof COLUMNS }>;

function toDelivery(row: Row, reader: DeliveryReader): MailDelivery {
  const status =
    (MailDeliveryStatus as Record<string, MailDeliveryStatus>)[row.status] ?? MailDeliveryStatus.PENDING;
  const own = reader.userId !== null && row.recipientUserId === reader.userId;
  const to = own || reader.fullAddresses ? row.toAddress : maskAddress(row.toAddress);
  // Rows written before errors were sanitised on write pass through the same rules; a reply that quotes the
  // recipient shows it as the address column does.
  const lastError =
    row.lastError === null
      ? null
      : sanitizeMailError({ message: row.lastError }).split(row.toAddress).join(to);
  return {
    id: row.id,
    kind: row.kind,
    to,
    subject: row.subject,
    status,
    attempts: row.attempts,
    lastError,
    nextAttemptAt: status === MailDeliveryStatus.PENDING ? row.nextAttemptAt : null,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

/** A page of the delivery log, newest first (the tenant comes from row-level security). */
export async function deliveryPage(
  db: TenantDb,
  reader: DeliveryReader,
  args: ConnectionArgs,
  filter: MailDeliveryFilter | null,
) {
  const where: Prisma.MailOutboxWhereInput = {
    ...(reader.recipientUserId ? { recipientUserId: reader.recipientUserId } : {}),
    ...(filter?.status?.length ? { status: { in: [...new Set(filter.status)] } } : {}),
    ...(filter?.kind?.length ? { kind: { in: [...new Set(filter.kind)] } } : {}),
  };
  const page = await paginate(args, newestFirst<Row>(), where, (q) =>
    db.client.mailOutbox.findMany({ ...(q as Prisma.MailOutboxFindManyArgs), select: COLUMNS }),
  );
  return {
    page: {
      pageInfo: page.pageInfo,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: toDelivery(e.node, reader) })),
    },
    count: () => db.client.mailOutbox.count({ where }),
  };
}
