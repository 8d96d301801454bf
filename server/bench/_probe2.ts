import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  applyMigrations,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
  createOwnerPool,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";
import { seedTenants, seedTenant } from "../src/modules/catalog/demo/seed";
const N = Number(process.argv[2] ?? 20);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "probe-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
await applyMigrations(db.url, readMigrations(MIGRATIONS_DIR));
const pool = createOwnerPool(db.url, 4);
let t = Date.now();
await seedTenant(pool, { slug: "single", name: "single", skus: 1000 });
console.log("one seedTenant ms", Date.now() - t);
if (process.env.DROP_TRGM) await pool.query("DROP INDEX seller_inventory_search_text_trgm_idx");
t = Date.now();
const r = await seedTenants(pool, {
  skus: 1000,
  tenants: Array.from({ length: N }, (_, i) => ({ slug: `t${i}`, name: `t${i}` })),
  rebuildIndexes: !!process.env.REBUILD,
  onProgress: (d, n) => console.log(d, n, Date.now() - t),
});
if (process.env.DROP_TRGM) {
  const t1 = Date.now();
  await pool.query(
    'CREATE INDEX "seller_inventory_search_text_trgm_idx" ON "seller_inventory" USING GIN ("search_text" gin_trgm_ops)',
  );
  console.log("trgm build", Date.now() - t1);
}
console.log("seedTenants ms", Date.now() - t, r.slice(0, 3));
const { rows } = await pool.query(
  `SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY 2 DESC`,
);
console.log(rows);
await pool.end();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
