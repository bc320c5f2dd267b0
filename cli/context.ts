/** What every command needs: where to write, how to reach the daemon, the clock. */
import type { ApiClient } from './http.ts';

/** Output streams and terminal facts; tests pass their own. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Whether stdout is a terminal (progress redraws in place when it is). */
  readonly isTTY?: boolean;
  /** Reads all of stdin (for `swarm unlock` and `secret create NAME -`). */
  readonly readStdin?: () => Promise<Buffer>;
  /** Reads one line of stdin (the unlock key typed at a terminal). */
  readonly readLine?: () => Promise<string>;
}

/** The per-run context handed to command actions. */
export interface Ctx {
  readonly io: Io;
  /** The API client for the host chosen by `-H`/`SHOAL_HOST`; created on first use. */
  api(): ApiClient;
  /** Wall clock in ms (relative times). */
  now(): number;
  /** Waits between convergence polls; tests may shorten it. */
  sleep(ms: number): Promise<void>;
}
