import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Prisma } from "../../generated/prisma/client";

export const EXPORT_FORMATS = ["csv", "json", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (value: string): value is ExportFormat =>
  (EXPORT_FORMATS as readonly string[]).includes(value);

export type ExportValue = string | number | boolean | null | Prisma.JsonValue;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};

// A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, strips it first).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as text: one that would start a formula is prefixed with an apostrophe. */
export function escapeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

// Rows are written in chunks of about this many characters rather than one write per row.
const CHUNK_CHARS = 64 * 1024;

async function* chunked(parts: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = "";
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}

async function* jsonArray(rows: AsyncIterable<unknown>): AsyncGenerator<string> {
  let first = true;
  yield "[";
  for await (const row of rows) {
    yield `${first ? "\n" : ",\n"}${JSON.stringify(row)}`;
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
}

async function* jsonLines(rows: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const row of rows) yield `${JSON.stringify(row)}\n`;
}

/**
 * The rows as a byte stream in `format`, pulled from `rows` only as fast as the stream is read (backpressure
 * reaches the database reads). CSV has a header row of `columns`; nested JSON values are written as JSON text;
 * every text cell that could start a formula is escaped. JSON is one array, JSONL one object per line.
 */
export function encodeRows(
  format: ExportFormat,
  columns: readonly string[],
  rows: AsyncIterable<Record<string, ExportValue>>,
): Readable {
  if (format === "json") return Readable.from(chunked(jsonArray(rows)), { objectMode: false });
  if (format === "jsonl") return Readable.from(chunked(jsonLines(rows)), { objectMode: false });
  const csv = stringify({
    header: true,
    columns: [...columns],
    cast: {
      string: (value) => escapeFormula(value),
      boolean: (value) => (value ? "true" : "false"),
      object: (value) => escapeFormula(JSON.stringify(value)),
      date: (value) => value.toISOString(),
    },
  });
  const source = Readable.from(rows);
  source.on("error", (error) => csv.destroy(error));
  return source.pipe(csv);
}
