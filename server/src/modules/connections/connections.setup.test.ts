import { describe, expect, it } from "vitest";
import { createEgressPolicy } from "./connections.setup";

describe("the process's egress policy", () => {
  it("allows only https in production", () => {
    const production = createEgressPolicy({ NODE_ENV: "production", EGRESS_ALLOWED_ORIGINS: [] }, {});
    expect(production.refusal("http://medusa.example.com/")).toMatch(/only https/);
    expect(production.refusal("https://medusa.example.com/")).toBeNull();
    const development = createEgressPolicy({ NODE_ENV: "development", EGRESS_ALLOWED_ORIGINS: [] }, {});
    expect(development.refusal("http://medusa.example.com/")).toBeNull();
  });

  it("trusts the origins configuration names, and the environment's own endpoints, and nothing else", () => {
    const policy = createEgressPolicy(
      { NODE_ENV: "production", EGRESS_ALLOWED_ORIGINS: ["http://127.0.0.1:4100"] },
      { MEDUSA_URL: "http://medusa.internal:9000/store", MEDUSA_API_KEY: "sk_x" },
    );
    expect(policy.refusal("http://127.0.0.1:4100/admin/products")).toBeNull();
    expect(policy.refusal("http://medusa.internal:9000/admin/products")).toBeNull();
    expect(policy.refusal("http://127.0.0.1:4101/")).not.toBeNull();
    expect(policy.refusal("http://medusa.internal:9001/")).not.toBeNull();
  });
});
