import type pg from "pg";
import type {
  BreakerSnapshot,
  BreakerStore,
  BudgetLimit,
  BudgetStore,
  BudgetTake,
  CachedToken,
  SharedConnectorState,
  TokenCache,
} from "../connectors";
import type { CredentialCipher } from "./credentials";

/** Keyed token buckets in PostgreSQL: each take is one statement, so every process shares one budget per key. */
export class PgBudgetStore implements BudgetStore {
  constructor(private readonly pool: pg.Pool) {}

  async take(
    key: string,
    limit: BudgetLimit,
    options: { cost?: number; maxWaitMs?: number } = {},
  ): Promise<BudgetTake> {
    const { rows } = await this.pool.query<{ granted: boolean; wait_ms: number; level: number }>(
      "SELECT granted, wait_ms, level FROM rate_budget_take($1, $2, $3, $4, $5)",
      [key, limit.rate, limit.burst, options.cost ?? 1, options.maxWaitMs ?? null],
    );
    const row = rows[0]!;
    return { granted: row.granted, waitMs: row.wait_ms, level: row.level };
  }

  async drain(key: string): Promise<void> {
    await this.pool.query(
      "UPDATE rate_budgets SET tokens = least(tokens, 0), refilled_at = greatest(refilled_at, clock_timestamp()) WHERE key = $1",
      [key],
    );
  }
}

/** Access tokens in PostgreSQL, encrypted with the credentials key (the row key is bound in). */
export class PgTokenCache implements TokenCache {
  constructor(
    private readonly pool: pg.Pool,
    private readonly cipher: CredentialCipher,
  ) {}

  async get(key: string): Promise<CachedToken | undefined> {
    const { rows } = await this.pool.query<{ token: Buffer; obtained_at: Date; expires_at: Date }>(
      "SELECT token, obtained_at, expires_at FROM connector_tokens WHERE key = $1 AND expires_at > now()",
      [key],
    );
    const row = rows[0];
    if (!row) return undefined;
    try {
      const { value } = this.cipher.decrypt(row.token, key);
      if (!value) return undefined;
      return { value, obtainedAt: row.obtained_at.getTime(), expiresAt: row.expires_at.getTime() };
    } catch {
      // Written under another credentials key: as good as absent, the next exchange replaces it.
      return undefined;
    }
  }

  async put(key: string, token: CachedToken): Promise<void> {
    await this.pool.query(
      `INSERT INTO connector_tokens (key, token, obtained_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, obtained_at = EXCLUDED.obtained_at,
                                       expires_at = EXCLUDED.expires_at
        WHERE connector_tokens.expires_at <= EXCLUDED.expires_at`,
      [
        key,
        Buffer.from(this.cipher.encrypt({ value: token.value }, key)),
        new Date(token.obtainedAt),
        new Date(token.expiresAt),
      ],
    );
  }
}

type BreakerRow = { failures: number; open_until: Date | null; opened?: boolean };

const snapshot = (row: BreakerRow | undefined): BreakerSnapshot => ({
  failures: row?.failures ?? 0,
  openUntil: row?.open_until ? row.open_until.getTime() : null,
  opened: row?.opened ?? false,
});

/** Circuit breakers in PostgreSQL: each transition is one statement on the account's row. */
export class PgBreakerStore implements BreakerStore {
  constructor(private readonly pool: pg.Pool) {}

  async read(key: string): Promise<BreakerSnapshot> {
    const { rows } = await this.pool.query<BreakerRow>(
      "SELECT failures, open_until FROM connector_breakers WHERE key = $1",
      [key],
    );
    return snapshot(rows[0]);
  }

  async failure(key: string, options: { threshold: number; openMs: number }): Promise<BreakerSnapshot> {
    const { rows } = await this.pool.query<BreakerRow>(
      `WITH before AS (SELECT open_until, trial FROM connector_breakers WHERE key = $1)
       INSERT INTO connector_breakers AS b (key, failures, open_until, trial, updated_at)
       VALUES ($1, 1, CASE WHEN $2 <= 1 THEN now() + make_interval(secs => $3 / 1000.0) END, false, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = b.failures + 1,
         open_until = CASE WHEN b.trial OR b.failures + 1 >= $2 THEN now() + make_interval(secs => $3 / 1000.0)
                           ELSE b.open_until END,
         trial = false,
         updated_at = now()
       RETURNING b.failures, b.open_until,
         b.open_until IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM before WHERE before.open_until IS NOT NULL AND NOT before.trial
         ) AS opened`,
      [key, options.threshold, options.openMs],
    );
    return snapshot(rows[0]);
  }

  async success(key: string): Promise<BreakerSnapshot> {
    await this.pool.query(
      `UPDATE connector_breakers SET failures = 0, open_until = NULL, trial = false, updated_at = now()
        WHERE key = $1 AND (failures > 0 OR open_until IS NOT NULL OR trial)`,
      [key],
    );
    return { failures: 0, openUntil: null };
  }

  async claimTrial(key: string, openMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE connector_breakers SET open_until = now() + make_interval(secs => $2 / 1000.0), trial = true,
              updated_at = now()
        WHERE key = $1 AND open_until IS NOT NULL AND open_until <= now()`,
      [key, openMs],
    );
    return rowCount === 1;
  }
}

/** Budgets, tokens and breakers in PostgreSQL, shared by every server and worker on the database. */
export function pgConnectorState(pool: pg.Pool, cipher: CredentialCipher): SharedConnectorState {
  return {
    budgets: new PgBudgetStore(pool),
    tokens: new PgTokenCache(pool, cipher),
    breakers: new PgBreakerStore(pool),
  };
}
