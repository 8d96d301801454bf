export * from "./circuit-breaker";
export * from "./errors";
export * from "./http-client";
export * from "./rate-limiter";
export * from "./token-bucket";
