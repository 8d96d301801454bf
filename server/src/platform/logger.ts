import pino, { type Logger } from "pino";

export type { Logger };

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** The one log format of every program (server, worker, sandbox): pino's JSON lines, at LOG_LEVEL. */
export function createLogger(service: string, level: LogLevel = "info"): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** The sync engine's logger interface over pino: message first, fields after. */
export function syncLoggerOf(log: Logger) {
  return {
    info: (message: string, fields?: Record<string, unknown>) => log.info(fields ?? {}, message),
    warn: (message: string, fields?: Record<string, unknown>) => log.warn(fields ?? {}, message),
    error: (message: string, fields?: Record<string, unknown>) => log.error(fields ?? {}, message),
  };
}
