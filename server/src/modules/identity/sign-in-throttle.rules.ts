/** Failed sign-ins remembered for one key (an account's address, or a client's IP address). */
export interface ThrottleState {
  failures: number;
  firstFailureAt: Date | null;
  lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  /** Failures older than this (from the first of a run) are forgotten. */
  windowMs: number;
  /** From this many failures in the window on, each further failure locks the key. */
  lockAfter: number;
  /** The first lock; each later failure doubles it, up to maxLockMs. */
  firstLockMs: number;
  maxLockMs: number;
}

const MINUTE = 60_000;

/** One account: three tries, then locks of 15 s, 30 s, 1 min ... up to 15 minutes per further failure. */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  lockAfter: 3,
  firstLockMs: 15_000,
  maxLockMs: 15 * MINUTE,
};

/** One client address trying many accounts: 20 failures in 15 minutes lock it for 15 minutes. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  lockAfter: 20,
  firstLockMs: 15 * MINUTE,
  maxLockMs: 15 * MINUTE,
};

export const EMPTY_THROTTLE: ThrottleState = { failures: 0, firstFailureAt: null, lockedUntil: null };

/** Seconds until the key may try again; 0 when it may now. */
export function lockedForSeconds(state: ThrottleState, now: Date): number {
  if (!state.lockedUntil || state.lockedUntil <= now) return 0;
  return Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000);
}

/** The state after one more failure at `now`. */
export function afterFailure(state: ThrottleState, now: Date, policy: ThrottlePolicy): ThrottleState {
  const expired = !state.firstFailureAt || now.getTime() - state.firstFailureAt.getTime() > policy.windowMs;
  const failures = expired ? 1 : state.failures + 1;
  const firstFailureAt = expired ? now : state.firstFailureAt;
  if (failures < policy.lockAfter) return { failures, firstFailureAt, lockedUntil: state.lockedUntil };
  const lockMs = Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** (failures - policy.lockAfter));
  return { failures, firstFailureAt, lockedUntil: new Date(now.getTime() + lockMs) };
}
