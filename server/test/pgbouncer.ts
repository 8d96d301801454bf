import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../src/platform/net";

const BINARY = "/usr/sbin/pgbouncer";

export interface RunningBouncer {
  port: number;
  /** The same database, user and password as `directUrl`, through the pooler. */
  urlFor(directUrl: string): string;
  /** A query on the pooler's admin console (SHOW POOLS, SHOW STATS, ...). */
  admin(command: string): Promise<Record<string, unknown>[]>;
  /** What the pooler logged (refused connections and their reasons). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real PgBouncer in transaction mode in front of the PostgreSQL at `adminUrl` (every database on it), with at
 * most `poolSize` server connections per database and user. It passes no startup parameter it does not know
 * (`options` included): a client that relied on one is refused, as in production.
 */
export async function startPgBouncer(adminUrl: string, poolSize = 8): Promise<RunningBouncer> {
  if (!fs.existsSync(BINARY))
    throw new Error(`${BINARY} is missing: apt-get install -y pgbouncer (.ci/run installs it)`);
  const target = new URL(adminUrl);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-pgbouncer-"));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, "users.txt"), `"${user}" "${password}"\n`);
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    `[databases]
* = host=${target.hostname} port=${target.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${path.join(dir, "users.txt")}
admin_users = ${user}
pool_mode = transaction
default_pool_size = ${poolSize}
max_client_conn = 500
server_reset_query =
logfile = ${path.join(dir, "pgbouncer.log")}
pidfile = ${path.join(dir, "pgbouncer.pid")}
`,
  );
  // PgBouncer refuses to run as root: it switches to the cluster's own user, which must reach its files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    fs.chmodSync(dir, 0o755);
    for (const f of fs.readdirSync(dir)) fs.chownSync(path.join(dir, f), uid, gid);
    fs.chownSync(dir, uid, gid);
  }
  const child: ChildProcess = spawn(
    BINARY,
    [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const log = () => {
    const file = path.join(dir, "pgbouncer.log");
    return `${fs.existsSync(file) ? fs.readFileSync(file, "utf8") : ""}${stderr}`;
  };
  const urlFor = (directUrl: string) => {
    const u = new URL(directUrl);
    u.hostname = "127.0.0.1";
    u.port = String(port);
    return u.toString();
  };
  const admin = async (command: string) => {
    const u = new URL(urlFor(adminUrl));
    u.pathname = "/pgbouncer";
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    try {
      return (await client.query(command)).rows;
    } finally {
      await client.end();
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}): ${log()}`);
    try {
      await admin("SHOW VERSION");
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`pgbouncer did not start: ${(error as Error).message}\n${log()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    urlFor,
    admin,
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
