import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../src/platform/config";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../src/platform/db";
import { freePort } from "../src/platform/net";

const SERVER_DIR = path.join(ROOT_DIR, "server");

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts the product the way `pnpm start` does (after its build step), and waits until it serves. */
async function startProduct(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const sandboxPort = await freePort();
  // The same command as the server's start script: one node process, so Ctrl-C reaches it directly.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      SANDBOX_PORT: String(sandboxPort),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const poll = setInterval(() => {
      if (output.includes('"msg":"ready:')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
      if (child.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`server exited:\n${output}`));
      }
    }, 100);
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      child.kill("SIGINT");
      return exited;
    },
  };
}

async function graphql(url: string, query: string, variables?: object, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: { inventory: { totalCount: number }; signIn: { accessToken: string | null } };
      errors?: { extensions?: { code?: string } }[];
    },
  };
}

/** Signs in as the start log says (the demo owner and the password it printed), then counts the inventory. */
async function totalCount(product: Running): Promise<number> {
  const hint = /sign in as ([^\s"]+) \(owner\).*, password ([^\s"]+)/.exec(product.output());
  if (!hint) throw new Error(`the start log does not say how to sign in:\n${product.output()}`);
  const signIn = await graphql(
    product.url,
    "mutation($input: SignInInput!) { signIn(input: $input) { accessToken userErrors { code } } }",
    { input: { email: hint[1], password: hint[2] } },
  );
  const token = signIn.body.data?.signIn.accessToken;
  if (!token) throw new Error(`sign-in failed: ${JSON.stringify(signIn.body)}`);
  const anonymous = await graphql(product.url, "{ inventory(first: 1) { totalCount } }");
  expect(anonymous.status).toBe(401);
  const { body } = await graphql(product.url, "{ inventory(first: 1) { totalCount } }", undefined, token);
  return body.data!.inventory.totalCount;
}

/** Runs a start that must fail and returns its exit code and output lines. */
async function failedStart(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", SANDBOX: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  return { code, lines: output.split("\n").filter(Boolean) };
}

/** Lines logged at error level or above, or PostgreSQL's complaints about ended sessions. */
const noise = (output: string) =>
  output
    .split("\n")
    .filter((l) => /"level":"(error|fatal)"|terminating connection|ELIFECYCLE|Command failed/.test(l));

function tempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

describe("pnpm start", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it("uses the PostgreSQL at DATABASE_URL and starts no embedded one", { timeout: 180_000 }, async () => {
    const external: EmbeddedDatabase = await startEmbeddedPostgres({
      dataDir: path.join(tempDir("external-pg-"), "data"),
      port: await freePort(),
    });
    cleanup.push(() => external.stop());
    const dataDir = tempDir("product-data-");
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    const product = await startProduct({
      DATABASE_URL: external.url,
      DATA_DIR: dataDir,
      DEMO_PASSWORD: "fixed-demo-pass",
    });
    try {
      const ready = await (await fetch(`${product.url}/readyz`)).json();
      expect(ready).toMatchObject({ status: "ready", database: "external" });
      expect(fs.existsSync(path.join(dataDir, "pg"))).toBe(false);
      expect(product.output()).toContain("using the PostgreSQL at DATABASE_URL");
      expect(await totalCount(product)).toBe(2000);
      expect(product.output()).toContain("password fixed-demo-pass");
      expect(product.output()).toContain("demo connection Amazon US: HEALTHY");
      expect(product.output()).toContain("demo connection Medusa Store: HEALTHY");
    } finally {
      expect(await product.stop()).toBe(0);
    }
  });

  it("starts an embedded PostgreSQL whose data survives a restart, and stops it on Ctrl-C", {
    timeout: 240_000,
  }, async () => {
    const dataDir = tempDir("product-data-");
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
      DEMO_PASSWORD: "",
    };

    const first = await startProduct(env);
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${first.url}/readyz`)).json()).toMatchObject({ database: "embedded" });
    expect(first.output()).toContain("seeded the demo tenant");
    expect(await totalCount(first)).toBe(2000);
    const password = /password ([^\s"]+)/.exec(first.output())?.[1];

    // A second start on the same data folder names the running one and what to do.
    const twin = await failedStart({ ...env, EMBEDDED_PG_PORT: String(await freePort()) });
    expect(twin.code).toBe(1);
    expect(twin.lines).toHaveLength(1);
    expect(twin.lines[0]).toMatch(
      /another PostgreSQL \(pid \d+\) already runs on the data folder .*set DATA_DIR/,
    );

    expect(await first.stop()).toBe(0);
    expect(noise(first.output())).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
    // The sandbox's marketplaces are kept beside the database, so the demo does not contradict itself.
    expect(fs.existsSync(path.join(dataDir, "sandbox", "state.json"))).toBe(true);

    const second = await startProduct(env);
    try {
      expect(second.output()).not.toContain("seeded the demo tenant");
      // The generated demo password is kept in the data folder: the same one works after a restart.
      expect(/password ([^\s"]+)/.exec(second.output())?.[1]).toBe(password);
      expect(await totalCount(second)).toBe(2000);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it("fails in one line naming a taken port and what to do", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", () => resolve()));
    const dataDir = tempDir("product-data-");
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    try {
      const start = await failedStart({
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(port),
        DATABASE_URL: "",
      });
      expect(start.code).toBe(1);
      expect(start.lines).toHaveLength(1);
      expect(start.lines[0]).toContain(`port ${port} for the embedded PostgreSQL is taken`);
      expect(start.lines[0]).toContain("EMBEDDED_PG_PORT");
    } finally {
      blocker.close();
    }
  }, 60_000);

  it("fails in one line naming a damaged data folder and what to do", async () => {
    const dataDir = tempDir("product-data-");
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    // A data folder whose control file is gone, as after a half-copied backup.
    fs.mkdirSync(path.join(dataDir, "pg"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "pg", "PG_VERSION"), "18\n");
    fs.chownSync(path.join(dataDir, "pg"), ...postgresIds());
    fs.chmodSync(path.join(dataDir, "pg"), 0o700);
    const start = await failedStart({
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
    });
    expect(start.code).toBe(1);
    expect(start.lines).toHaveLength(1);
    expect(start.lines[0]).toMatch(
      /embedded PostgreSQL could not start on .*pg: .+; the data folder looks damaged: move it away/,
    );
  }, 60_000);
});

/** uid and gid PostgreSQL runs as (the postgres user when the tests run as root). */
function postgresIds(): [number, number] {
  if (os.userInfo().uid !== 0) return [os.userInfo().uid, os.userInfo().gid];
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return [id("-u"), id("-g")];
}
