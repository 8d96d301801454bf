import { describe, expect, it } from "vitest";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  afterFailure,
  EMPTY_THROTTLE,
  lockedForSeconds,
  type ThrottleState,
} from "./sign-in-throttle.rules";

const t0 = new Date("2026-12-01T10:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function fail(times: number, policy = ACCOUNT_POLICY, start: ThrottleState = EMPTY_THROTTLE) {
  let state = start;
  for (let i = 0; i < times; i++) state = afterFailure(state, at(i), policy);
  return state;
}

describe("sign-in throttling", () => {
  it("lets an account try twice without delay, then locks it for 15 s, doubling per further failure", () => {
    expect(lockedForSeconds(fail(2), at(2))).toBe(0);
    expect(lockedForSeconds(fail(3), at(2))).toBe(15);
    expect(lockedForSeconds(fail(4), at(3))).toBe(30);
    expect(lockedForSeconds(fail(5), at(4))).toBe(60);
  });

  it("never locks an account for more than 15 minutes at a time", () => {
    expect(lockedForSeconds(fail(30), at(29))).toBe(15 * 60);
  });

  it("forgets failures once the 15-minute window has passed", () => {
    const state = afterFailure(fail(2), at(16 * 60), ACCOUNT_POLICY);
    expect(state.failures).toBe(1);
    expect(lockedForSeconds(state, at(16 * 60))).toBe(0);
  });

  it("unlocks when the lock runs out", () => {
    expect(lockedForSeconds(fail(3), at(2 + 15))).toBe(0);
  });

  it("locks an address only after 20 failures, for 15 minutes", () => {
    expect(lockedForSeconds(fail(19, ADDRESS_POLICY), at(19))).toBe(0);
    expect(lockedForSeconds(fail(20, ADDRESS_POLICY), at(19))).toBe(15 * 60);
  });
});
