import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import zlib from "node:zlib";
import ipaddr from "ipaddr.js";

/** An outbound call the egress policy refused; never retried, never sent. */
export class EgressDeniedError extends Error {
  override name = "EgressDeniedError";
}

/** Redirects followed at most, each checked like the first URL. */
export const MAX_REDIRECTS = 5;
/** Largest response read (after decompression); the largest a marketplace sends is a feed report. */
export const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Headers that carry a connection's credentials: never sent on to another origin.
const CREDENTIAL_HEADERS = new Set(["authorization", "x-amz-access-token", "cookie"]);

/**
 * Why an address may not be called, or null: only public unicast addresses may (no loopback, private, link-local,
 * carrier-grade NAT, metadata, multicast, reserved or unspecified address, nor one of those inside IPv6).
 */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  const range = ip.range();
  return range === "unicast" ? null : `${address} is a ${range} address`;
}

/** Hostname of a URL as net.connect sees it: IPv6 literals without their brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that fails when a name resolves to any address the policy refuses (checked at connect time). */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.map((a) => blockedAddressReason(a.address)).find((reason) => reason !== null);
    if (blocked || addresses.length === 0) {
      return callback(new EgressDeniedError(`${hostname} resolves to ${blocked ?? "no address"}`), []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

// A Map: the answering server chooses the key.
const DECODERS = new Map<string, (data: Buffer, options: zlib.ZlibOptions) => Buffer>([
  ["gzip", zlib.gunzipSync],
  ["deflate", zlib.inflateSync],
  ["br", zlib.brotliDecompressSync],
]);

interface Exchange {
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal | undefined;
}

/** One HTTP exchange with node:http(s), redirects not followed; the body read whole, capped and decoded. */
function exchange(url: URL, request: Exchange, agent: http.Agent, lookup: typeof guardedLookup | undefined) {
  return new Promise<Response>((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br", ...request.headers };
    if (request.body) headers["content-length"] = String(request.body.length);
    const req = transport.request(url, {
      method: request.method,
      headers,
      agent,
      lookup,
      signal: request.signal,
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES)
          res.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => {
        try {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) throw new Error(`invalid HTTP status ${status}`);
          const raw = Buffer.concat(chunks);
          const decode = DECODERS.get(String(res.headers["content-encoding"] ?? "").toLowerCase());
          const body = new Uint8Array(decode ? decode(raw, { maxOutputLength: MAX_RESPONSE_BYTES }) : raw);
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (name === "content-encoding" || name === "content-length" || value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) answer.append(name, v);
          }
          const empty = status === 204 || status === 205 || status === 304;
          resolve(new Response(empty ? null : body, { status, headers: answer }));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.end(request.body);
  });
}

export interface EgressOptions {
  /** Refuse plain http (production), except to trusted origins. */
  httpsOnly: boolean;
  /** Origins reachable whatever they resolve to: named in configuration, or started by this process. */
  trustedOrigins?: Iterable<string>;
}

/**
 * Where the server's outbound calls may go. A tenant chooses its connection's endpoint, so that endpoint must
 * not reach the server's own network: every URL, and every redirect, is checked before it is called, and host
 * names are checked again on the addresses they resolve to when the connection opens (so DNS rebinding cannot
 * slip past the first check). Only the origins the operator trusts skip these rules.
 */
export class EgressPolicy {
  private readonly trusted = new Set<string>();
  private readonly agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };

  constructor(private readonly options: EgressOptions) {
    for (const origin of options.trustedOrigins ?? []) this.trust(origin);
  }

  /** Lets calls reach this URL's origin whatever it resolves to (the sandbox this process started). */
  trust(url: string): void {
    this.trusted.add(new URL(url).origin);
  }

  isTrusted(url: string | URL): boolean {
    return this.trusted.has(new URL(url).origin);
  }

  /** Why this URL may not be called, judged without DNS (scheme, literal addresses), or null. */
  refusal(url: string | URL): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return "not a URL";
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
      return `${parsed.protocol} is not http(s)`;
    if (this.isTrusted(parsed)) return null;
    if (parsed.username || parsed.password) return "URLs may not carry credentials";
    if (this.options.httpsOnly && parsed.protocol !== "https:") return "only https endpoints are allowed";
    const host = hostOf(parsed);
    return net.isIP(host) ? blockedAddressReason(host) : null;
  }

  /** Why this URL may not be called, resolving its host name now; a name that does not resolve is not refused. */
  async check(url: string): Promise<string | null> {
    const refusal = this.refusal(url);
    if (refusal) return refusal;
    const parsed = new URL(url);
    const host = hostOf(parsed);
    if (this.isTrusted(parsed) || net.isIP(host)) return null;
    const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
    const blocked = addresses.map((a) => blockedAddressReason(a.address)).find((reason) => reason !== null);
    return blocked ? `${host} resolves to ${blocked}` : null;
  }

  /** fetch under the policy: each hop checked, redirects followed by hand, credentials kept to their origin. */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const request: Exchange = {
      method: init.method ?? "GET",
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: toBuffer(init.body),
      signal: init.signal ?? undefined,
    };
    for (let hop = 0; ; hop++) {
      const refusal = this.refusal(url);
      if (refusal) throw new EgressDeniedError(refusal);
      const agent = this.agents[url.protocol as "http:" | "https:"];
      const response = await exchange(url, request, agent, this.isTrusted(url) ? undefined : guardedLookup);
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || !location) return response;
      if (hop >= MAX_REDIRECTS) throw new EgressDeniedError(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        request.headers = Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)),
        );
      }
      const post = request.method === "POST" && (response.status === 301 || response.status === 302);
      if (response.status === 303 || post) {
        request.method = "GET";
        request.body = undefined;
      }
      url = next;
    }
  };

  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }
}

function toBuffer(body: RequestInit["body"]): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError("egress fetch sends string or byte bodies only");
}
