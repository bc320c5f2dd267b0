/** The errors `shoal` turns into exit codes and messages. Each carries what the user needs to fix it. */

/**
 * A bad command line: unknown flag, bad value, missing argument. Thrown before any request is sent;
 * printed as the message alone, exit code 1 (what the brief asks; docker itself uses 125 for some).
 */
export class UsageError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The daemon answered with an error status; printed as `Error response from daemon: <message>`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The daemon could not be reached at all (no socket, refused connection). */
export class ConnectError extends Error {
  constructor(
    readonly host: string,
    override readonly cause: unknown,
  ) {
    super(`Cannot connect to the Shoal daemon at ${host}. Is shoald running?`);
    this.name = 'ConnectError';
  }
}

/** A failure the CLI detected itself after talking to the daemon (e.g. a paused update); exit 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Builds docker's flag error text: `invalid argument "X" for "--flag" flag: reason`. */
export function flagError(flag: string, value: string, reason: string): UsageError {
  return new UsageError(`invalid argument "${value}" for "${flag}" flag: ${reason}`);
}
