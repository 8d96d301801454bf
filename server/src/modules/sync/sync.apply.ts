import type { ListingUpdate, PlatformConnector, UpdateResult } from "../../connectors";
import type { PlatformConnection } from "../../generated/prisma/client";
import type { ConflictStrategy } from "../../generated/prisma/enums";
import { conflictAlert } from "../alerts/rules";
import { type FieldValue, fieldValue, sameValue } from "./sync.compare";
import { JobRun, sleep, withRetries } from "./sync.run";
import { IN_FLIGHT, ITEMS_OF_JOB, type ItemRow, markSent, pendingItems, upsertAlerts } from "./sync.store";

interface Unit {
  sku: string;
  items: ItemRow[];
}

function toUpdate(unit: Unit, expected: (item: ItemRow) => number | undefined): ListingUpdate {
  const update: ListingUpdate = { sku: unit.sku, ref: unit.items[0]!.id };
  for (const item of unit.items) {
    if (item.field === "quantity") {
      update.quantity = Number(item.to_value);
      const e = expected(item);
      if (e !== undefined) update.expectedQuantity = e;
    } else if (item.field === "price") update.price = String(item.to_value);
    else update.status = item.to_value as ListingUpdate["status"];
  }
  return update;
}

const isDecrease = (i: ItemRow) =>
  i.field === "quantity" && typeof i.from_value === "number" && Number(i.to_value) < i.from_value;

/**
 * APPLYING: quantity decreases first on every platform at once (a sale must reach every channel before
 * anything else uses the rate budget), then everything else. Each batch goes through the connector's bulk
 * path; quantity writes are compare-and-set against the value read.
 */
export async function applyPlan(run: JobRun): Promise<void> {
  const { job } = run;
  const items = await run.tx((c) => pendingItems(c, job.id));
  if (items.length === 0) return;
  if (job.dryRun) {
    await run.tx((c) =>
      c.query(
        `UPDATE sync_job_items SET status = 'SKIPPED', updated_at = now() WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING'`,
        [job.id],
      ),
    );
    await run.refreshCounters(true);
    return;
  }
  if (job.status !== "APPLYING") await run.update({ status: "APPLYING" });
  const connections = new Map(
    (await run.db.client.platformConnection.findMany()).map((c) => [c.kind as string, c]),
  );
  const checkpoint = run.checkpoint;
  const expected = (item: ItemRow): number | undefined => {
    const planned = checkpoint.expected?.[`${item.platform}|${item.sku}`];
    if (planned !== undefined) return planned;
    return checkpoint.casFrom && typeof item.from_value === "number" ? item.from_value : undefined;
  };
  const byPlatform = new Map<string, ItemRow[]>();
  for (const item of items) byPlatform.set(item.platform, [...(byPlatform.get(item.platform) ?? []), item]);
  const lanes = [(i: ItemRow) => isDecrease(i), (i: ItemRow) => !isDecrease(i)];
  for (const inLane of lanes) {
    await Promise.all(
      [...byPlatform].map(async ([platform, list]) => {
        const laneItems = list.filter(inLane);
        if (laneItems.length === 0) return;
        const connection = connections.get(platform);
        if (!connection?.enabled) {
          await failItems(run, laneItems, "UNAVAILABLE", `The ${platform} connection is disabled or gone`);
          return;
        }
        await applyLane(run, connection, laneItems, expected);
      }),
    );
  }
  await run.refreshCounters(true);
}

async function applyLane(
  run: JobRun,
  connection: PlatformConnection,
  items: ItemRow[],
  expected: (item: ItemRow) => number | undefined,
): Promise<void> {
  const { rt } = run;
  const connector = rt.connections.connectorFor(connection);
  const asynchronous = connector.capabilities().asynchronousWrites;
  let pending = items;
  let lastError = new Map<string, { code: string; message: string }>();
  for (let pass = 0; pass < rt.options.retryPasses && pending.length > 0; pass++) {
    if (pass > 0) await sleep(1000 * 2 ** (pass - 1), run.signal);
    run.throwIfStopped();
    // Writes sent before a crash or timeout may have landed: read them back before sending again.
    const inDoubt = pending.filter((i) => i.error_code === IN_FLIGHT);
    if (inDoubt.length > 0) {
      const stillToWrite = await settleInDoubt(run, connection, connector, inDoubt, asynchronous);
      const again = new Set(stillToWrite.map((i) => i.id));
      pending = pending.filter((i) => i.error_code !== IN_FLIGHT || again.has(i.id));
    }
    const units = new Map<string, Unit>();
    for (const item of pending) {
      const unit = units.get(item.sku) ?? { sku: item.sku, items: [] };
      unit.items.push(item);
      units.set(item.sku, unit);
    }
    const all = [...units.values()];
    const retry: ItemRow[] = [];
    for (let start = 0; start < all.length; start += rt.options.batchSize) {
      run.throwIfStopped();
      const batch = all.slice(start, start + rt.options.batchSize);
      const batchItems = batch.flatMap((u) => u.items);
      await run.tx((c) =>
        markSent(
          c,
          batchItems.map((i) => i.id),
          run.job.createdAt,
        ),
      );
      for (const i of batchItems) i.error_code = IN_FLIGHT;
      const updates = batch.map((u) => toUpdate(u, expected));
      const results = await connector.applyUpdates(updates, { signal: run.signal });
      run.throwIfStopped();
      const outcome = await recordResults(run, connection, batch, results);
      retry.push(...outcome.retry);
      lastError = new Map([...lastError, ...outcome.errors]);
      await run.refreshCounters();
    }
    pending = retry;
  }
  if (pending.length > 0) {
    for (const item of pending) {
      const e = lastError.get(item.id);
      await failItems(run, [item], e?.code ?? "PLATFORM_ERROR", e?.message ?? "Still failing after retries");
    }
  }
}

async function failItems(run: JobRun, items: ItemRow[], code: string, message: string): Promise<void> {
  await run.tx((c) =>
    c.query(
      `UPDATE sync_job_items SET status = 'FAILED', error = $2, error_code = $3, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND job_created_at = $4 AND status = 'PENDING'`,
      [items.map((i) => i.id), message, code, run.job.createdAt],
    ),
  );
}

/**
 * Reads back writes whose outcome is unknown: those that show the new value are applied (no second write),
 * those that still show the old value are written again (after waiting out a platform's processing delay),
 * and any other value means the platform changed meanwhile: a conflict, never an overwrite.
 */
async function settleInDoubt(
  run: JobRun,
  connection: PlatformConnection,
  connector: PlatformConnector,
  items: ItemRow[],
  asynchronous: boolean,
): Promise<ItemRow[]> {
  const settleMs = run.rt.options.asyncSettleMs;
  let waiting = items;
  const rewrite: ItemRow[] = [];
  for (;;) {
    const listings = new Map(
      (
        await withRetries(run, `reading ${connection.kind}`, () =>
          connector.readBySkus([...new Set(waiting.map((i) => i.sku))], { signal: run.signal }),
        )
      ).map((l) => [l.sku, l]),
    );
    const applied: ItemRow[] = [];
    const conflicts: Array<{ item: ItemRow; current: FieldValue }> = [];
    const notFound: ItemRow[] = [];
    const stillOld: ItemRow[] = [];
    for (const item of waiting) {
      const listing = listings.get(item.sku);
      if (!listing) {
        notFound.push(item);
        continue;
      }
      const current = fieldValue(listing, item.field);
      if (sameValue(item.field, current, item.to_value as FieldValue)) applied.push(item);
      else if (sameValue(item.field, current, item.from_value as FieldValue)) stillOld.push(item);
      else conflicts.push({ item, current });
    }
    if (applied.length > 0) await markApplied(run, connection, applied, "CONFIRMED");
    if (notFound.length > 0) await failItems(run, notFound, "NOT_FOUND", `Not found on ${connection.kind}`);
    for (const { item, current } of conflicts) await recordCasConflict(run, connection, item, current);
    const now = Date.now();
    const settling = asynchronous
      ? stillOld.filter((i) => new Date(i.updated_at).getTime() + settleMs > now)
      : [];
    rewrite.push(...stillOld.filter((i) => !settling.includes(i)));
    if (settling.length === 0) return rewrite;
    waiting = settling;
    await sleep(Math.min(2000, Math.max(200, settleMs / 10)), run.signal);
  }
}

async function recordResults(
  run: JobRun,
  connection: PlatformConnection,
  batch: Unit[],
  results: UpdateResult[],
): Promise<{ retry: ItemRow[]; errors: Map<string, { code: string; message: string }> }> {
  const applied: ItemRow[] = [];
  const accepted: ItemRow[] = [];
  const failed: Array<{ item: ItemRow; code: string; message: string }> = [];
  const retry: ItemRow[] = [];
  const errors = new Map<string, { code: string; message: string }>();
  const conflicts: Array<{ item: ItemRow; current: FieldValue }> = [];
  batch.forEach((unit, i) => {
    const r = results[i];
    if (!r) {
      retry.push(...unit.items);
      return;
    }
    if (r.status === "applied") {
      (r.confirmation === "CONFIRMED" ? applied : accepted).push(...unit.items);
      return;
    }
    for (const item of unit.items) {
      errors.set(item.id, { code: r.code, message: r.message });
      if (r.code === "CONFLICT" && item.field === "quantity")
        conflicts.push({ item, current: r.currentQuantity ?? null });
      else if (r.code === "CONFLICT") failed.push({ item, code: r.code, message: r.message });
      else if (r.retryable) {
        // A timeout may have reached the platform: the item stays in doubt and is read back before a resend.
        if (r.code !== "TIMEOUT") item.error_code = r.code;
        retry.push(item);
      } else failed.push({ item, code: r.code, message: r.message });
    }
  });
  if (applied.length > 0) await markApplied(run, connection, applied, "CONFIRMED");
  if (accepted.length > 0) await markApplied(run, connection, accepted, "ACCEPTED");
  if (failed.length > 0) {
    await run.tx(async (c) => {
      for (const f of failed) {
        await c.query(
          `UPDATE sync_job_items SET status = 'FAILED', error = $2, error_code = $3, updated_at = now()
            WHERE id = $1 AND job_created_at = $4 AND status = 'PENDING'`,
          [f.item.id, f.message, f.code, run.job.createdAt],
        );
      }
    });
  }
  const definite = retry.filter((i) => i.error_code !== IN_FLIGHT);
  if (definite.length > 0) {
    await run.tx(async (c) => {
      for (const item of definite) {
        await c.query(
          `UPDATE sync_job_items SET error_code = $2, error = $3, updated_at = now()
            WHERE id = $1 AND job_created_at = $4 AND status = 'PENDING'`,
          [item.id, item.error_code, errors.get(item.id)?.message ?? null, run.job.createdAt],
        );
      }
    });
  }
  for (const { item, current } of conflicts) await recordCasConflict(run, connection, item, current);
  return { retry, errors };
}

/** Marks items applied once the platform took them, with their history and our record of the listing. */
async function markApplied(
  run: JobRun,
  connection: PlatformConnection,
  items: ItemRow[],
  confirmation: "CONFIRMED" | "ACCEPTED",
): Promise<void> {
  const { job } = run;
  const reason = `${job.type} sync (${job.trigger.toLowerCase()})${confirmation === "ACCEPTED" ? ", accepted by the platform" : ""}`;
  await run.tx(async (c) => {
    const { rows } = await c.query<ItemRow>(
      `UPDATE sync_job_items SET status = 'APPLIED', error = NULL, error_code = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND job_created_at = $2 AND status = 'PENDING'
        RETURNING id, product_id, sku, platform::text, field, from_value, to_value`,
      [items.map((i) => i.id), job.createdAt],
    );
    if (rows.length === 0) return;
    await c.query(
      `INSERT INTO sync_history (product_id, sku, job_id, actor_type, actor_id, platform, connection_id, field,
                                 old_value, new_value, reason)
       SELECT v.product_id, coalesce(p.sku, v.sku), $1::uuid, 'JOB', $10::text, $2::"PlatformKind", $3, v.field,
              v.old_value::jsonb, v.new_value::jsonb, $4
         FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[]) AS v(product_id, sku, field, old_value, new_value)
         LEFT JOIN products p ON p.id = v.product_id`,
      [
        job.id,
        connection.kind,
        connection.id,
        reason,
        rows.map((r) => r.product_id),
        rows.map((r) => r.sku),
        rows.map((r) => r.field),
        rows.map((r) => JSON.stringify(r.from_value ?? null)),
        rows.map((r) => JSON.stringify(r.to_value ?? null)),
        job.id,
      ],
    );
    const confirmed = confirmation === "CONFIRMED";
    for (const field of ["quantity", "price", "status"] as const) {
      const of = rows.filter((r) => r.field === field && r.product_id);
      if (of.length === 0) continue;
      const column =
        field === "quantity"
          ? "quantity = v.value::int"
          : field === "price"
            ? "price = v.value::numeric"
            : `status = v.value::"ListingStatus"`;
      await c.query(
        `UPDATE product_listings l SET ${column}, last_synced_at = now(),
                last_confirmed_at = CASE WHEN $3 THEN now() ELSE l.last_confirmed_at END, updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS v(product_id, value)
          WHERE l.connection_id = $4 AND l.product_id = v.product_id`,
        [of.map((r) => r.product_id), of.map((r) => String(r.to_value)), confirmed, connection.id],
      );
      if (connection.kind === "AMAZON") {
        const inventoryColumn =
          field === "quantity"
            ? "quantity = v.value::int + s.reserved_quantity"
            : field === "price"
              ? "price = v.value::numeric"
              : `status = v.value::"ListingStatus"`;
        await c.query(
          `UPDATE seller_inventory s SET ${inventoryColumn}, updated_at = now()
             FROM unnest($1::uuid[], $2::text[]) AS v(product_id, value) WHERE s.product_id = v.product_id`,
          [of.map((r) => r.product_id), of.map((r) => String(r.to_value))],
        );
      }
    }
  });
}

/** A compare-and-set write found another value on the platform: the item fails and the disagreement becomes an open conflict. */
async function recordCasConflict(
  run: JobRun,
  connection: PlatformConnection,
  item: ItemRow,
  current: FieldValue,
): Promise<void> {
  const { job } = run;
  if (current !== null && sameValue(item.field, current, item.to_value as FieldValue)) {
    // Someone else (a fast-lane job, a person) already set what this job meant to write: nothing to do.
    await run.tx((c) =>
      c.query(
        `UPDATE sync_job_items SET status = 'SKIPPED', error_code = 'ALREADY_SET', updated_at = now(),
                error = 'The platform already holds this value'
          WHERE id = $1 AND job_created_at = $2 AND status = 'PENDING'`,
        [item.id, job.createdAt],
      ),
    );
    return;
  }
  await run.tx(async (c) => {
    const updated = await c.query(
      `UPDATE sync_job_items SET status = 'FAILED', error_code = 'CONFLICT', updated_at = now(),
              error = $2 WHERE id = $1 AND job_created_at = $3 AND status = 'PENDING'`,
      [
        item.id,
        `${connection.kind} holds ${JSON.stringify(current)}, not the ${JSON.stringify(item.from_value)} the job read: left for the next sync`,
        job.createdAt,
      ],
    );
    if (!item.product_id || updated.rowCount === 0) return;
    const others = await c.query<{
      platform: string;
      quantity: number;
      price: string | null;
      status: string;
      sku: string;
    }>(
      `SELECT l.platform::text, l.quantity, l.price::text, l.status::text, p.sku FROM product_listings l
         JOIN products p ON p.id = l.product_id WHERE l.product_id = $1`,
      [item.product_id],
    );
    const values: Record<string, FieldValue> = {};
    for (const o of others.rows) values[o.platform] = fieldValue(o, item.field);
    values[connection.kind] = current;
    const sku = others.rows[0]?.sku ?? item.sku;
    const type = item.field === "quantity" ? "QUANTITY" : item.field === "price" ? "PRICE" : "STATUS";
    const settings = await c.query<{ conflict_strategy: ConflictStrategy }>(
      `SELECT conflict_strategy::text FROM platform_sync_settings`,
    );
    const strategy = settings.rows[0]?.conflict_strategy ?? "SOURCE_WINS";
    const inserted = await c.query<{ id: string }>(
      `INSERT INTO sync_conflicts (product_id, job_id, sku, type, field, values, strategy, status, resolution, updated_at)
       VALUES ($1, $2, $3, $4::"ConflictType", $5, $6::jsonb, $7::"ConflictStrategy", 'OPEN', $8::jsonb, now()) RETURNING id`,
      [
        item.product_id,
        job.id,
        sku,
        type,
        item.field,
        JSON.stringify(values),
        strategy,
        JSON.stringify({
          kind: "CHANGED_DURING_SYNC",
          intended: item.to_value,
          expected: item.from_value,
          platform: connection.kind,
        }),
      ],
    );
    await c.query(
      `UPDATE sync_jobs SET conflict_count = conflict_count + 1, updated_at = now() WHERE id = $1`,
      [job.id],
    );
    await upsertAlerts(c, run.tenantId, [
      conflictAlert({
        sku,
        field: item.field,
        values,
        strategy,
        productId: item.product_id,
        jobId: job.id,
        conflictId: inserted.rows[0]?.id,
      }),
    ]);
  });
  run.result(connection.kind).conflicts++;
  run.job = { ...run.job, conflictCount: run.job.conflictCount + 1 };
}
