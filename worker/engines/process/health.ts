/**
 * Healthchecks on the process engine, as Docker runs them: the spec's test (`CMD …` or `CMD-SHELL …`)
 * every interval inside the task's namespaces and root (nsenter into the workload), each run bounded by
 * the timeout; `starting` until the first success, `healthy` after one, `unhealthy` after `retries`
 * failures in a row (failures in the start period do not count). The state machine (executor) kills an
 * unhealthy task and reports it FAILED.
 */
import { execFile } from 'node:child_process';
import type { TaskRuntimeStatus } from '../../executor/types.ts';

/** Docker's defaults for a healthcheck's unset fields. */
export const HEALTH_DEFAULTS = Object.freeze({
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
});

type Health = NonNullable<TaskRuntimeStatus['health']>;

/** The spec's healthcheck, as the proto gives it (durations in nanoseconds; 0 = default). */
export interface HealthSpec {
  readonly test: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly startPeriod: number;
  readonly retries: number;
}

/** The probe's argv, or undefined when the spec has no healthcheck (empty test, or `NONE`). */
export function probeArgv(test: readonly string[]): string[] | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined;
}

const ms = (ns: number, dflt: number): number => (ns > 0 ? Math.max(1, Math.round(ns / 1e6)) : dflt);

/** Runs one task's healthcheck until `stop()`; `status` is what `inspect()` reports. */
export class HealthMonitor {
  private state: Health = 'starting';
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly startedAt = Date.now();

  private constructor(
    private readonly argv: readonly string[],
    private readonly spec: HealthSpec,
    /** The workload's pid now (undefined once it is gone); probes enter its namespaces. */
    private readonly pid: () => Promise<number | undefined>,
    private readonly isolate: boolean,
  ) {
    this.schedule(ms(spec.interval, HEALTH_DEFAULTS.intervalMs));
  }

  /** A monitor for `spec`, or undefined when the task has no healthcheck. */
  static start(
    spec: HealthSpec | null | undefined,
    pid: () => Promise<number | undefined>,
    isolate: boolean,
  ): HealthMonitor | undefined {
    const argv = spec ? probeArgv(spec.test) : undefined;
    return spec && argv ? new HealthMonitor(argv, spec, pid, isolate) : undefined;
  }

  get status(): Health {
    return this.state;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe(), delayMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    const pid = await this.pid();
    if (pid === undefined || this.stopped) return;
    const ok = await this.run(pid);
    if (ok) {
      this.state = 'healthy';
      this.failures = 0;
    } else if (Date.now() - this.startedAt >= ms(this.spec.startPeriod, HEALTH_DEFAULTS.startPeriodMs)) {
      this.failures++;
      const retries = this.spec.retries > 0 ? this.spec.retries : HEALTH_DEFAULTS.retries;
      if (this.failures >= retries) this.state = 'unhealthy';
    }
    this.schedule(ms(this.spec.interval, HEALTH_DEFAULTS.intervalMs));
  }

  /** One run of the probe: true for exit 0 within the timeout. */
  private run(pid: number): Promise<boolean> {
    const [cmd, ...args] = this.isolate
      ? [
          'nsenter',
          `--target=${pid}`,
          '--pid',
          '--net', // the task's own network namespace when it has one (overlays), else the host's
          '--mount',
          '--uts',
          '--ipc',
          '--root',
          '--wd',
          '--',
          ...this.argv,
        ]
      : this.argv;
    return new Promise((resolve) => {
      execFile(
        cmd ?? '/bin/false',
        args,
        { timeout: ms(this.spec.timeout, HEALTH_DEFAULTS.timeoutMs), killSignal: 'SIGKILL' },
        (err) => resolve(err === null),
      );
    });
  }
}
