/** Display helpers. Money arrives as exact decimal strings and is never turned into a float here. */

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

function parseDecimal(value: string): Scaled | null {
  const match = DECIMAL.exec(value.trim());
  if (!match) return null;
  const [, sign, whole = "0", fraction = ""] = match;
  const units = BigInt(`${whole}${fraction}` || "0");
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale ? `.${fraction}` : ""}`;
}

/** Compares two decimal strings exactly: negative, zero or positive like a sort comparator. */
export function compareDecimal(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return a === b ? 0 : a < b ? -1 : 1;
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** `b - a` as an exact decimal string, or null when either is not a decimal. */
export function subtractDecimal(b: string, a: string): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  const scale = Math.max(x.scale, y.scale);
  return formatScaled(rescale(y, scale) - rescale(x, scale), scale);
}

/** How far `b` is from `a`, in percent of `a` (for display only), or null when `a` is zero. */
export function percentChange(a: string, b: string): number | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  const scale = Math.max(x.scale, y.scale);
  const base = rescale(x, scale);
  if (base === 0n) return null;
  // Basis points in integers first, so the only rounding is the final display.
  return Number(((rescale(y, scale) - base) * 10_000n) / base) / 100;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, signed: boolean): Intl.NumberFormat {
  const key = `${currency}:${signed}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, {
        style: "currency",
        currency,
        signDisplay: signed ? "exceptZero" : "auto",
      });
    } catch {
      format = new Intl.NumberFormat(undefined, {
        minimumFractionDigits: 2,
        signDisplay: signed ? "exceptZero" : "auto",
      });
    }
    moneyFormats.set(key, format);
  }
  return format;
}

/** "19.99" + "USD" -> "$19.99". Intl formats the decimal string itself, so no float rounding occurs. */
export function formatMoney(amount: string | null | undefined, currency: string, signed = false): string {
  if (amount == null || amount === "") return "—";
  if (!DECIMAL.test(amount.trim())) return amount;
  return moneyFormat(currency, signed).format(amount.trim() as `${number}`);
}

const integer = new Intl.NumberFormat();

export function formatCount(value: number): string {
  return integer.format(value);
}

/** 42 -> "42s", 3_700 -> "1h", 200_000 -> "2d": the age of a value at a glance. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))}s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The day only, for columns where the time of day adds nothing but width. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString();
}

/** "OUT_OF_STOCK" -> "Out of stock". */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
