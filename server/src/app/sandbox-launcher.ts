import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ROOT_DIR } from "../platform/config";

export interface SandboxCredentials {
  amazon: { clientId: string; clientSecret: string; refreshToken: string };
  medusa: { apiKey: string };
}

export interface SandboxProcess {
  url: string;
  credentials: SandboxCredentials;
  stop(): Promise<void>;
}

/**
 * Starts the marketplace sandbox as its own program (what `pnpm sandbox` runs) with credentials made for
 * this run, and waits until it answers. The product talks to it over HTTP only.
 */
export async function launchSandbox(options: {
  port: number;
  skus: number;
  sellerId: string;
  marketplaceId: string;
  /** Where the sandbox keeps its marketplaces' state, so a restart finds them as they were left. */
  stateFile?: string;
  logLevel?: string;
}): Promise<SandboxProcess> {
  const secret = () => randomBytes(12).toString("hex");
  const credentials: SandboxCredentials = {
    amazon: {
      clientId: `amzn1.application-oa2-client.${secret()}`,
      clientSecret: secret(),
      refreshToken: `Atzr|${secret()}`,
    },
    medusa: { apiKey: `sk_${secret()}` },
  };
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT_DIR, "server", "src", "sandbox", "main.ts")],
    {
      cwd: path.join(ROOT_DIR, "server"),
      // The IPC channel closes when this process dies, however it dies, and the sandbox then exits too.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: {
        ...process.env,
        SANDBOX_PORT: String(options.port),
        SANDBOX_HOST: "127.0.0.1",
        SANDBOX_SKUS: String(options.skus),
        SANDBOX_AMAZON_CLIENT_ID: credentials.amazon.clientId,
        SANDBOX_AMAZON_CLIENT_SECRET: credentials.amazon.clientSecret,
        SANDBOX_AMAZON_REFRESH_TOKEN: credentials.amazon.refreshToken,
        SANDBOX_AMAZON_SELLER_ID: options.sellerId,
        SANDBOX_AMAZON_MARKETPLACE_ID: options.marketplaceId,
        SANDBOX_MEDUSA_API_KEY: credentials.medusa.apiKey,
        SANDBOX_STATE_FILE: options.stateFile ?? "",
        ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
      },
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The sandbox exited while starting:\n${output}`);
    const up = await fetch(`${url}/_sandbox/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The sandbox did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    credentials,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGINT");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
