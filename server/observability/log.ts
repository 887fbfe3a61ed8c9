import pino, { type Logger } from 'pino';

/**
 * The server's log: one JSON object per line on stdout (pino), for a log collector to parse. LOG_LEVEL
 * sets the level (`info` by default; `silent` turns it off, as the test suites do).
 */
export const log: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  // Each line names its process, so lines of several replicas can be told apart once merged.
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** A request id a client or proxy sent that is safe to log and echo; anything else gets a fresh one. */
export function requestIdOf(header: string | null): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : crypto.randomUUID();
}

/** An error's message for a log line, whatever was thrown. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
