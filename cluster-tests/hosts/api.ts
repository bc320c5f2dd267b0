/**
 * What cluster tests on hosts read through a host's Engine API, and the shoal CLI run against a host:
 * one copy for the fault tests and the soak.
 */
import { execFile } from 'node:child_process';
import { SHOAL_BIN } from '../shoald-kit.ts';
import type { Host } from './host.ts';

/** The fields of Docker's Task the cluster tests read. */
export interface TaskJson {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID: string;
  DesiredState: string;
  Status: { State: string; Err?: string };
  Spec: { ContainerSpec?: { Env?: string[] } };
}

/** The least of Docker's Service that `replicasOf` reads. */
export interface ReplicatedJson {
  Spec: { Mode?: { Replicated?: { Replicas?: number } } };
}

/** The least of Docker's Node that `withHosts` reads. */
export interface NodeNameJson {
  ID: string;
  Description?: { Hostname?: string };
}

/** How a run of the shoal CLI ended; `out` is stdout then stderr, for a message that may be on either. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string;
}

/**
 * Runs `shoal args…` against `h`'s API socket (60 s at most) with `stdin` as its input, which is then
 * closed. Never rejects: a failure is a non-zero `code`.
 */
export function shoalCli(h: Host, args: readonly string[], stdin = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = execFile(
      process.execPath,
      [SHOAL_BIN, ...args],
      { env: { ...process.env, SHOAL_HOST: `unix://${h.socket}` }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout,
          stderr,
          out: stdout + stderr,
        }),
    );
    p.stdin?.end(stdin);
  });
}

/**
 * `GET path` on `via`'s API (timeout: the `Host.api` default unless given), its JSON body. Throws naming
 * the host, the path, the status and the body unless the answer is 200.
 */
export async function getJson<T>(via: Host, path: string, timeoutMs?: number): Promise<T> {
  const r = await via.api('GET', path, undefined, timeoutMs);
  if (r.status !== 200) throw new Error(`${via.name}: GET ${path}: ${r.status} ${r.body}`);
  return r.json<T>();
}

/** The tasks of one service (by name or ID), as `via` lists them. */
export function tasksOf(via: Host, service: string, timeoutMs?: number): Promise<TaskJson[]> {
  const q = encodeURIComponent(JSON.stringify({ service: [service] }));
  return getJson<TaskJson[]>(via, `/v1.47/tasks?filters=${q}`, timeoutMs);
}

/** Each task with `host`, the hostname of its node among `nodes` (`?` for a node not among them). */
export function withHosts<T extends { NodeID: string }>(
  tasks: readonly T[],
  nodes: readonly NodeNameJson[],
): (T & { host: string })[] {
  const names = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? '?']));
  return tasks.map((t) => ({ ...t, host: names.get(t.NodeID) ?? '?' }));
}

/** A service's replica count; 0 for one that is not replicated. */
export function replicasOf(svc: ReplicatedJson): number {
  return svc.Spec.Mode?.Replicated?.Replicas ?? 0;
}

/** Every service `via` lists: name → replica count. */
export async function servicesOf(via: Host): Promise<Map<string, number>> {
  const list = await getJson<(ReplicatedJson & { Spec: { Name: string } })[]>(via, '/v1.47/services');
  return new Map(list.map((s) => [s.Spec.Name, replicasOf(s)]));
}
