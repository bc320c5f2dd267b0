/**
 * What the engine keeps per task under `<dataRoot>/process-engine/<taskId>/`, so a restarted agent
 * adopts running work instead of starting it twice: `state.json` (written by prepare, completed by
 * start with the wrapper's pid and start time) and `exit` (the exit code, written by the wrapper).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TaskState {
  readonly taskId: string;
  readonly workDir: string;
  readonly cgroups: readonly string[];
  /** How many levels below the wrapper the workload (the one that gets the stop signal) runs. */
  readonly depth: number;
  readonly note?: string;
  readonly pid?: number;
  readonly startTime?: number;
}

export const STATE_FILE = 'state.json';
export const EXIT_FILE = 'exit';

export async function readState(dir: string): Promise<TaskState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as TaskState;
  } catch {
    return undefined;
  }
}

export async function writeState(dir: string, s: TaskState): Promise<void> {
  const tmp = join(dir, `${STATE_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(s));
  await rename(tmp, join(dir, STATE_FILE));
}

/** The exit code the wrapper recorded, or undefined when it did not get to write one. */
export async function readExitCode(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, EXIT_FILE), 'utf8').catch(() => undefined);
  const n = text === undefined ? NaN : Number(text.trim());
  return Number.isInteger(n) ? n : undefined;
}
