/**
 * Structured logging with pino (what fastify uses, so the HTTP API's request logs and ours are one
 * stream). Every component takes a Logger and makes a child naming itself: `log.child({ component: 'raft' })`.
 */
import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Names the process or node in every line (e.g. `shoald`). */
  readonly name: string;
  /** Defaults to `$SHOAL_LOG_LEVEL`, else `info`. */
  readonly level?: LevelWithSilent;
  /** Fields added to every line (e.g. `{ nodeId }`). */
  readonly base?: Readonly<Record<string, unknown>>;
  /** Where lines go; defaults to stderr so stdout stays for command output. */
  readonly destination?: DestinationStream;
}

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The level named by `$SHOAL_LOG_LEVEL`, or `fallback` when unset or not a level. */
export function levelFromEnv(fallback: LevelWithSilent = 'info'): LevelWithSilent {
  const given = process.env['SHOAL_LOG_LEVEL'];
  return LEVELS.find((l) => l === given) ?? fallback;
}

/** Creates the root logger of a process. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? levelFromEnv(),
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything; for tests and tools that must stay quiet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
