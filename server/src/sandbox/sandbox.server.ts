import path from "node:path";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from "fastify";
import { DEFAULT_DEMO_SEED } from "../modules/catalog/demo/generator";
import { ROOT_DIR } from "../platform/config";
import { amazonError, emitEffects } from "./amazon/amazon.common";
import { registerAmazonRoutes } from "./amazon/amazon.routes";
import { sellerMarketplaces } from "./amazon/marketplaces";
import { type ApiName, sharedContractValidator } from "./contracts/contract-validator";
import { medusaError, registerMedusaRoutes } from "./medusa/medusa.routes";
import type { NotificationTarget } from "./notification-delivery";
import {
  type OperationStats,
  type ResolvedSandboxConfig,
  SandboxRuntime,
  type Violation,
} from "./sandbox.runtime";
import { SandboxState } from "./sandbox.state";
import type { FaultConfig, SandboxOptions, SandboxSeedItem } from "./sandbox.types";
import { loadDemoSeed } from "./seed.adapter";
import { keepStateIn } from "./state-file";

export const CONTRACTS_DIR = path.resolve(ROOT_DIR, "../shared/contracts");

/** In-process handle on the sandbox's state, for tests, demos and benchmarks. */
export interface SandboxControl {
  setFaults(faults: FaultConfig): void;
  clearFaults(): void;
  faults(): FaultConfig;
  /** Every access token issued so far is expired from now on. */
  expireTokens(): void;
  /** A customer bought `units` on a platform: quantities drop and Amazon emits its notifications. */
  simulateSale(platform: "amazon" | "medusa", sku: string, units: number): boolean;
  amazonListing(sku: string): Readonly<import("./sandbox.state").AmazonListing> | undefined;
  medusaEntry(sku: string): Readonly<import("./sandbox.state").MedusaEntry> | undefined;
  /** Notifications emitted since the last drain. */
  drainNotifications(): Array<Record<string, unknown>>;
  /** HTTP statuses the notification target answered, in order (0: no answer). */
  deliveries(): number[];
  /** Resolves once `count` notifications have been delivered since the start. */
  deliveredCount(count: number): Promise<void>;
  /** Posts notifications to this target from now on (undefined: to nowhere). */
  notifyTo(target: NotificationTarget | undefined): void;
  violations(): Violation[];
  stats(): Record<string, OperationStats>;
  resetStats(): void;
  /** API writes applied, by "platform:sku:field" (amazon or medusa); a change applied twice counts 2. */
  writeCounts(): Record<string, number>;
}

export interface RunningSandbox {
  url: string;
  amazonBaseUrl: string;
  lwaUrl: string;
  medusaBaseUrl: string;
  /** Credentials the sandbox accepts, ready for connection configs. */
  credentials: {
    amazon: {
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      sellerId: string;
      marketplaceId: string;
      region: string;
    };
    medusa: { apiKey: string };
  };
  config: ResolvedSandboxConfig;
  state: SandboxState;
  control: SandboxControl;
  close(): Promise<void>;
}

interface RequestFlags {
  api?: ApiName | "lwa" | "s3" | "control";
  operation?: string;
  /** Medusa routes whose real validator is strict: undocumented query parameters are refused. */
  strictQuery?: boolean;
  injected?: boolean;
  malformed?: boolean;
}

function resolveConfig(options: SandboxOptions): ResolvedSandboxConfig {
  const speedUp = options.speedUp ?? 1;
  if (!(speedUp > 0)) throw new Error("speedUp must be positive");
  return {
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    speedUp,
    rateLimits: options.rateLimits ?? true,
    validateContracts: options.validateContracts ?? false,
    sellerId: options.sellerId ?? "A2SANDBOXSELLER1",
    sellers: new Set(options.sellers ?? []),
    marketplaceId: options.marketplaceId ?? "ATVPDKIKX0DER",
    region: options.region ?? "NA",
    lwaClientId: options.lwaClientId ?? "amzn1.application-oa2-client.sandbox",
    lwaClientSecret: options.lwaClientSecret ?? "sandbox-client-secret",
    refreshToken: options.refreshToken ?? "Atzr|sandbox-refresh-token",
    medusaApiKey: options.medusaApiKey ?? "sk_sandbox_0123456789abcdef",
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    feedTiming: { queuedMs: 2000, baseMs: 8000, perMessageMs: 1, ...options.feedTiming },
    listingWriteDelayMs: options.listingWriteDelayMs ?? 1000,
    notifications: options.notifications,
  };
}

/** Medusa's secret-key check: `Basic sk_...` (scheme in any case), or base64 of `sk_...:` from older clients. */
function medusaAuthorized(header: string | undefined, apiKey: string): boolean {
  const [scheme, token] = (header ?? "").split(" ");
  if (scheme?.toLowerCase() !== "basic" || !token) return false;
  let key = token.startsWith("sk_") ? token : Buffer.from(token, "base64").toString("utf8");
  if (key.endsWith(":")) key = key.slice(0, -1);
  return key === apiKey;
}

/** The JSON content types an operation's `consumes` list accepts, whatever their parameters (charset). */
function consumed(contentType: string | undefined, consumes: string[]): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return consumes.some((c) => c.toLowerCase() === type);
}

/** Starts the marketplace sandbox (SP-API and Medusa Admin API imitation) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const config = resolveConfig(options);
  const items: SandboxSeedItem[] = options.items ?? (await loadDemoSeed(config.seed, options.skus ?? 1000));
  const stores = sellerMarketplaces(config.marketplaceId, config.region, items[0]?.amazon?.currency ?? "USD");
  const state = new SandboxState(items, config.seed, options.divergence ?? 0.05, stores);
  const stateFile = options.stateFile ? await keepStateIn(state, options.stateFile) : undefined;
  const validator = sharedContractValidator(CONTRACTS_DIR);
  const rt = new SandboxRuntime(state, config, options.faults ?? {}, validator);
  const flags = new WeakMap<FastifyRequest, RequestFlags>();
  const hanging = new Set<() => void>();

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 200 * 1024 * 1024,
    forceCloseConnections: true,
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  const faultApplies = (api: RequestFlags["api"]): boolean =>
    (api === "amazon" || api === "medusa") && (!rt.faults.only || rt.faults.only === api);

  const injectError = (reply: FastifyReply, api: RequestFlags["api"], status: number) => {
    if (api === "medusa") {
      if (status === 429) return reply.code(429).type("text/plain").send("Too Many Requests");
      return medusaError(reply, status, "unknown_error", "An unknown error occurred.");
    }
    if (status === 429)
      return amazonError(reply, 429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
    return amazonError(
      reply,
      status,
      status === 503 ? "ServiceUnavailable" : "InternalFailure",
      "We encountered an internal error. Please try again.",
    );
  };

  app.addHook("onRequest", async (request, reply) => {
    const routeConfig = (request.routeOptions.config ?? {}) as {
      api?: RequestFlags["api"];
      operation?: string;
      strictQuery?: boolean;
    };
    const f: RequestFlags = {
      api: routeConfig.api,
      operation: routeConfig.operation,
      strictQuery: routeConfig.strictQuery,
    };
    flags.set(request, f);
    if (!f.operation) return;
    const stat = rt.stat(f.operation);
    stat.requests++;
    stat.lastAt = Date.now();
    if (faultApplies(f.api)) {
      const faults = rt.faults;
      if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
      const take = (key: "timeoutNext" | "serverErrorNext" | "rateLimitNext" | "malformedNext") => {
        const n = faults[key] ?? 0;
        if (n <= 0) return false;
        faults[key] = n - 1;
        return true;
      };
      if (take("timeoutNext") || rt.chance(faults.timeoutRate)) {
        stat.injected++;
        f.injected = true;
        // Never answers; the client gives up. Released when the sandbox closes.
        await new Promise<void>((resolve) => {
          hanging.add(resolve);
          request.raw.once("close", () => resolve());
        });
        return reply.code(504).send();
      }
      const burst = take("serverErrorNext");
      if (burst || rt.chance(faults.errorRate)) {
        stat.injected++;
        f.injected = true;
        return injectError(reply, f.api, burst ? 503 : 500);
      }
      if (take("rateLimitNext")) {
        stat.injected++;
        stat.throttled++;
        f.injected = true;
        return injectError(reply, f.api, 429);
      }
      if (take("malformedNext") || rt.chance(faults.malformedRate)) f.malformed = true;
    }
    if (f.api === "amazon") {
      const check = rt.checkToken(request.headers["x-amz-access-token"] as string | undefined);
      if (check !== "ok") {
        const details =
          check === "missing"
            ? "Access token is missing in the request header."
            : check === "expired"
              ? "The access token you provided has expired."
              : "The access token you provided is revoked, malformed or otherwise invalid.";
        return amazonError(reply, 403, "Unauthorized", "Access to requested resource is denied.", details);
      }
      const token = rt.tokens.get(request.headers["x-amz-access-token"] as string);
      if (token) rt.sellerOf.set(request, token.seller);
      if (!rt.admit(f.operation, token?.seller)) {
        stat.throttled++;
        return amazonError(
          reply,
          429,
          "QuotaExceeded",
          "You exceeded your quota for the requested resource.",
        );
      }
    }
    if (f.api === "medusa" && !medusaAuthorized(request.headers.authorization, config.medusaApiKey)) {
      return reply.code(401).send({ message: "Unauthorized" });
    }
  });

  // Every request is checked against the model, as the real APIs check theirs: a bad one is refused in the
  // API's own error shape; with validateContracts the problem is also recorded as a violation.
  app.addHook("preHandler", async (request, reply) => {
    const f = flags.get(request);
    if (f?.api !== "amazon" && f?.api !== "medusa") return;
    const urlPath = request.url.split("?")[0]!;
    const query = request.query as Record<string, unknown>;
    const refuse = (status: number, code: string, errors: string[]) => {
      if (config.validateContracts) rt.recordViolation("request", f.operation ?? urlPath, errors);
      return f.api === "amazon"
        ? amazonError(reply, status, code, "The request does not match the API model.", errors.join("; "))
        : medusaError(reply, status, "invalid_data", `Invalid request: ${errors.join("; ")}`);
    };
    const op = validator.findOperation(f.api, request.method, urlPath);
    if (request.body !== undefined && op && !consumed(request.headers["content-type"], op.consumes)) {
      const message = `Content type ${request.headers["content-type"] ?? "(none)"} is not accepted; send ${op.consumes.join(" or ")}`;
      // Medusa parses what it can and its validator refuses the rest (400); SP-API answers 415.
      return f.api === "amazon"
        ? amazonError(reply, 415, "UnsupportedMediaType", message)
        : refuse(400, "invalid_data", [message]);
    }
    if (f.strictQuery) {
      const unknown = validator.unknownQueryParams(f.api, request.method, urlPath, query);
      if (unknown.length)
        return refuse(400, "InvalidInput", [
          `Unrecognized fields: ${unknown.map((u) => `'${u}'`).join(", ")}`,
        ]);
    }
    const errors = validator.validateRequest(f.api, request.method, urlPath, query, request.body);
    if (errors.length) return refuse(400, "InvalidInput", errors);
  });

  // Bodies the parser cannot read, in the API's own error shape rather than the server's.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const f = flags.get(request);
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const message = status < 500 ? error.message : "We encountered an internal error. Please try again.";
    if (f?.api === "amazon")
      return amazonError(
        reply,
        status,
        status === 415 ? "UnsupportedMediaType" : status < 500 ? "InvalidInput" : "InternalFailure",
        message,
      );
    if (f?.api === "medusa")
      return status === 415 || status === 400
        ? medusaError(reply, 400, "invalid_data", message)
        : medusaError(reply, status, "unknown_error", "An unknown error occurred.");
    return reply.code(status).send({ error: error.code ?? "ERROR", message });
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const f = flags.get(request);
    if (!f?.operation) return payload;
    const stat = rt.stat(f.operation);
    const status = reply.statusCode;
    if (status < 300) stat.ok++;
    else if (status < 500 && status !== 429 && !f.injected) stat.clientErrors++;
    if (f.api === "amazon") {
      reply.header("x-amzn-RequestId", rt.nextId("req-"));
      const rate = rt.appliedRate(f.operation);
      if (rate !== undefined && status !== 429 && status !== 403)
        reply.header("x-amzn-RateLimit-Limit", String(rate));
    }
    if (
      config.validateContracts &&
      !f.injected &&
      (f.api === "amazon" || f.api === "medusa") &&
      typeof payload === "string"
    ) {
      let body: unknown;
      try {
        body = payload.length ? JSON.parse(payload) : undefined;
      } catch {
        body = payload;
      }
      const urlPath = request.url.split("?")[0]!;
      rt.recordViolation(
        "response",
        f.operation,
        validator.validateResponse(
          f.api,
          request.method,
          urlPath,
          status,
          body,
          (request.query as Record<string, unknown>).fields !== undefined,
        ),
      );
    }
    if (f.malformed && status < 300 && typeof payload === "string" && payload.length > 1) {
      stat.injected++;
      return payload.slice(0, Math.floor(payload.length / 2));
    }
    return payload;
  });

  registerAmazonRoutes(app, rt);
  registerMedusaRoutes(app, rt);

  const control: SandboxControl = {
    setFaults: (faults) => {
      rt.faults = { ...rt.faults, ...faults };
    },
    clearFaults: () => {
      rt.faults = {};
    },
    faults: () => ({ ...rt.faults }),
    expireTokens: () => rt.expireTokens(),
    simulateSale: (platform, sku, units) => {
      if (platform === "amazon") {
        const listing = state.amazon.get(sku);
        if (!listing || listing.deleted) return false;
        const before = listing.quantity;
        listing.quantity = Math.max(0, listing.quantity - units);
        listing.updatedAt = listing.fbaUpdatedAt = rt.now();
        state.touch();
        emitEffects(rt, listing, {
          quantityChanged: listing.quantity !== before,
          statusChanged: false,
          issuesChanged: false,
        });
        return true;
      }
      const entry = state.medusa.get(sku);
      const level = entry?.levels[0];
      if (!entry || entry.deleted || !level) return false;
      level.stocked = Math.max(level.reserved, level.stocked - units);
      level.updatedAt = entry.updatedAt = rt.now();
      state.touch();
      return true;
    },
    amazonListing: (sku) => state.amazon.get(sku),
    medusaEntry: (sku) => state.medusa.get(sku),
    drainNotifications: () => rt.notifications.splice(0, rt.notifications.length),
    deliveries: () => [...rt.deliveries],
    deliveredCount: (count) => rt.deliveredCount(count),
    notifyTo: (target) => {
      rt.notificationTarget = target;
    },
    violations: () => [...rt.violations],
    stats: () => Object.fromEntries(rt.stats),
    resetStats: () => rt.stats.clear(),
    writeCounts: () => Object.fromEntries(state.writes),
  };

  app.get("/_sandbox/health", { config: { api: "control" } }, async () => ({
    ok: true,
    amazonListings: state.amazon.size,
    medusaVariants: state.medusa.size,
  }));
  app.get("/_sandbox/stats", { config: { api: "control" } }, async () => control.stats());
  app.get("/_sandbox/writes", { config: { api: "control" } }, async () => control.writeCounts());
  app.get("/_sandbox/faults", { config: { api: "control" } }, async () => control.faults());
  app.post("/_sandbox/faults", { config: { api: "control" } }, async (request) => {
    control.setFaults((request.body ?? {}) as FaultConfig);
    return control.faults();
  });
  app.delete("/_sandbox/faults", { config: { api: "control" } }, async () => {
    control.clearFaults();
    return control.faults();
  });
  app.post("/_sandbox/tokens/expire", { config: { api: "control" } }, async () => {
    control.expireTokens();
    return { ok: true };
  });
  app.post("/_sandbox/sales", { config: { api: "control" } }, async (request, reply) => {
    const body = (request.body ?? {}) as { platform?: "amazon" | "medusa"; sku?: string; units?: number };
    const ok = control.simulateSale(body.platform ?? "amazon", String(body.sku), Number(body.units ?? 1));
    return ok ? { ok } : reply.code(404).send({ ok, message: "unknown SKU" });
  });
  app.get("/_sandbox/notifications", { config: { api: "control" } }, async () =>
    control.drainNotifications(),
  );
  app.get("/_sandbox/violations", { config: { api: "control" } }, async () => control.violations());
  app.get("/_sandbox/listings/:sku", { config: { api: "control" } }, async (request) => {
    const { sku } = request.params as { sku: string };
    return { amazon: state.amazon.get(sku) ?? null, medusa: state.medusa.get(sku) ?? null };
  });

  const address = await app.listen({ port: options.port ?? 4100, host: options.host ?? "127.0.0.1" });
  const url = address.replace("[::1]", "127.0.0.1");
  return {
    url,
    amazonBaseUrl: url,
    lwaUrl: `${url}/auth/o2/token`,
    medusaBaseUrl: url,
    credentials: {
      amazon: {
        clientId: config.lwaClientId,
        clientSecret: config.lwaClientSecret,
        refreshToken: config.refreshToken,
        sellerId: config.sellerId,
        marketplaceId: config.marketplaceId,
        region: config.region,
      },
      medusa: { apiKey: config.medusaApiKey },
    },
    config,
    state,
    control,
    close: async () => {
      rt.closed = true;
      await stateFile?.flush();
      for (const timer of rt.pendingTimers) clearTimeout(timer);
      for (const release of hanging) release();
      await app.close();
    },
  };
}
