import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedAddressReason, EgressDeniedError, EgressPolicy } from "./egress";

describe("addresses an outbound call may reach", () => {
  it("refuses every address that is not public unicast", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "255.255.255.255",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
    ]) {
      expect(blockedAddressReason(address), address).not.toBeNull();
    }
  });

  it("allows public unicast addresses, IPv4 and IPv6", () => {
    for (const address of ["8.8.8.8", "52.94.236.248", "::ffff:8.8.8.8", "2606:4700::1111"]) {
      expect(blockedAddressReason(address), address).toBeNull();
    }
  });
});

describe("the egress policy's verdict on a URL", () => {
  const policy = new EgressPolicy({ httpsOnly: false, trustedOrigins: ["http://127.0.0.1:4100"] });
  const production = new EgressPolicy({ httpsOnly: true });

  it("refuses internal addresses however they are written", () => {
    for (const url of [
      "http://127.0.0.1:8080/anything",
      "http://2130706433/",
      "http://0x7f.0.0.1/",
      "http://[::1]:80/",
      "http://[::ffff:7f00:1]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.5/",
    ]) {
      expect(policy.refusal(url), url).toMatch(/address/);
    }
  });

  it("refuses other schemes, credentials in the URL, and plain http in production", () => {
    expect(policy.refusal("file:///etc/passwd")).toMatch(/not http/);
    expect(policy.refusal("gopher://example.com/")).toMatch(/not http/);
    expect(policy.refusal("https://user:pw@example.com/")).toMatch(/credentials/);
    expect(production.refusal("http://example.com/")).toMatch(/https/);
    expect(production.refusal("https://example.com/")).toBeNull();
  });

  it("lets a trusted origin through, and only that origin", () => {
    expect(policy.refusal("http://127.0.0.1:4100/admin/stock-locations")).toBeNull();
    expect(policy.refusal("http://127.0.0.1:4101/")).not.toBeNull();
  });

  it("refuses a host name by the addresses it resolves to", async () => {
    expect(await policy.check("http://localhost:9/")).toMatch(/localhost resolves to .*loopback/);
  });
});

describe("the egress policy's fetch", () => {
  const hits: Record<string, string[]> = { trusted: [], internal: [] };
  let trusted: http.Server;
  let internal: http.Server;
  let trustedUrl = "";
  let internalPort = 0;

  const listen = (name: string, handler: http.RequestListener) =>
    new Promise<http.Server>((resolve) => {
      const server = http.createServer((req, res) => {
        hits[name]!.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ""}`);
        handler(req, res);
      });
      server.listen(0, "127.0.0.1", () => resolve(server));
    });

  beforeAll(async () => {
    internal = await listen("internal", (_req, res) => res.end("secret ".repeat(1000)));
    internalPort = (internal.address() as AddressInfo).port;
    trusted = await listen("trusted", (req, res) => {
      const target = req.url?.slice(1) ?? "";
      if (target) res.writeHead(302, { location: decodeURIComponent(target) }).end();
      else res.end("ok");
    });
    trustedUrl = `http://127.0.0.1:${(trusted.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => trusted.close(r));
    await new Promise((r) => internal.close(r));
  });

  const policy = () => new EgressPolicy({ httpsOnly: false, trustedOrigins: [trustedUrl] });

  it("never connects to an internal address, by literal or by name", async () => {
    const p = policy();
    await expect(p.fetch(`http://127.0.0.1:${internalPort}/`)).rejects.toBeInstanceOf(EgressDeniedError);
    await expect(p.fetch(`http://localhost:${internalPort}/`)).rejects.toThrow(/localhost resolves to/);
    expect(hits.internal).toEqual([]);
    await p.close();
  });

  it("reaches a trusted origin", async () => {
    const p = policy();
    const res = await p.fetch(`${trustedUrl}/`);
    expect(await res.text()).toBe("ok");
    await p.close();
  });

  it("does not follow a trusted origin's redirect to an internal address", async () => {
    const p = policy();
    for (const target of [`http://127.0.0.1:${internalPort}/`, `http://localhost:${internalPort}/`]) {
      await expect(
        p.fetch(`${trustedUrl}/${encodeURIComponent(target)}`, { headers: { authorization: "Basic sk_x" } }),
      ).rejects.toBeInstanceOf(EgressDeniedError);
    }
    expect(hits.internal).toEqual([]);
    await p.close();
  });

  it("follows redirects within what it allows, keeping credentials to their origin", async () => {
    const p = new EgressPolicy({
      httpsOnly: false,
      trustedOrigins: [trustedUrl, `http://127.0.0.1:${internalPort}`],
    });
    hits.internal = [];
    const res = await p.fetch(`${trustedUrl}/${encodeURIComponent(`http://127.0.0.1:${internalPort}/x`)}`, {
      headers: { authorization: "Basic sk_x" },
    });
    expect(res.status).toBe(200);
    expect(hits.internal).toEqual(["GET /x auth="]);
    await p.close();
  });
});
