#!/usr/bin/env node
// `pnpm dev`: the API server (reloading on change), Vite's dev server for the dashboard, and GraphQL codegen
// rerun whenever the schema or a client document changes. Output is prefixed; Ctrl-C stops everything.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PNPM = process.platform === "win32" ? "pnpm.cmd" : "pnpm";
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

const apiPort = process.env.PORT ?? "4000";
const childEnv = {
  ...process.env,
  ...(color ? { FORCE_COLOR: "1" } : {}),
  // Vite proxies /graphql (HTTP and WebSocket) to wherever the API listens.
  API_URL: process.env.API_URL ?? `http://localhost:${apiPort}`,
  // The proxy rewrites Host but keeps the page's Origin: the API allows the dev dashboard's origin by name.
  CORS_ORIGINS: [process.env.CORS_ORIGINS, `http://localhost:${process.env.CLIENT_PORT ?? "5173"}`]
    .filter(Boolean)
    .join(","),
};

const children = new Set();
let stopping = false;
let exitCode = 0;

function prefixed(stream, label, out) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? "";
    for (const line of lines) out.write(`${label} ${line}\n`);
  });
  stream.on("end", () => {
    if (pending) out.write(`${label} ${pending}\n`);
  });
}

/** Starts a long-running child in its own process group, so a stop reaches pnpm and everything under it. */
function run(name, code, args, options = {}) {
  const label = paint(code, `[${name}]`.padEnd(6));
  const child = spawn(PNPM, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32",
  });
  prefixed(child.stdout, label, process.stdout);
  prefixed(child.stderr, label, process.stderr);
  const exited = new Promise((resolve) => {
    child.once("exit", (status, killedBy) => resolve(status ?? (killedBy ? 1 : 0)));
    child.once("error", (error) => {
      process.stderr.write(`${label} could not start: ${error.message}\n`);
      resolve(1);
    });
  });
  const entry = { name, child, exited };
  children.add(entry);
  exited.then((status) => {
    children.delete(entry);
    if (!options.oneShot && !stopping) {
      process.stderr.write(`${label} exited with ${status}; stopping the others\n`);
      exitCode = status || 1;
      stop("SIGTERM");
    }
  });
  return entry;
}

function signal(child, name, group = false) {
  try {
    if (group && process.platform !== "win32") process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // Already gone.
  }
}

async function stop(name) {
  if (stopping) return;
  stopping = true;
  codegenWatcher?.close();
  const running = [...children];
  // pnpm passes the signal on to its child once; signalling the whole group too would make tsx see it twice
  // and kill the API before it has stopped its embedded PostgreSQL.
  for (const { child } of running) signal(child, name);
  const force = setTimeout(() => {
    for (const { child } of running) signal(child, "SIGKILL", true);
  }, 10_000);
  force.unref();
  await Promise.all(running.map((c) => c.exited));
  process.exit(exitCode);
}

process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

// Codegen: once up front (the dashboard's documents come from it), then on every relevant change.
let codegenRunning = false;
let codegenAgain = false;
async function codegen() {
  if (stopping) return;
  if (codegenRunning) {
    codegenAgain = true;
    return;
  }
  codegenRunning = true;
  const status = await run("gql", "33", ["codegen", "--silent"], { oneShot: true }).exited;
  if (status === 0) process.stdout.write(`${paint("33", "[gql] ")} types and documents are up to date\n`);
  codegenRunning = false;
  if (codegenAgain) {
    codegenAgain = false;
    await codegen();
  }
}

let codegenWatcher;
let debounce;
function watchDocuments() {
  const clientSrc = path.join(ROOT, "client", "src");
  const generated = path.join(clientSrc, "gql");
  const schema = path.join(ROOT, "server", "schema.graphql");
  const schedule = () => {
    clearTimeout(debounce);
    debounce = setTimeout(codegen, 300);
  };
  const client = fs.watch(clientSrc, { recursive: true }, (_event, file) => {
    if (!file || !/\.tsx?$/.test(file)) return;
    if (path.join(clientSrc, file).startsWith(generated + path.sep)) return;
    schedule();
  });
  // Watch the folder, not the file: the schema is rewritten by replacing it.
  const server = fs.watch(path.dirname(schema), (_event, file) => {
    if (file === path.basename(schema)) schedule();
  });
  codegenWatcher = {
    close() {
      client.close();
      server.close();
    },
  };
}

await codegen();
if (!stopping) {
  watchDocuments();
  run("api", "36", ["--filter", "@inventory-sync/server", "exec", "tsx", "watch", "src/main.ts"]);
  run("web", "35", ["--filter", "@inventory-sync/client", "exec", "vite"]);
}
