/**
 * The soak's end checks, after healing: replicas converge for every service, one RUNNING task per
 * slot, every acknowledged write present, secrets only on nodes running tasks that use them, every
 * manager answers. Each returns the violations it found (empty: held).
 */
import { filesContaining } from '../harness.ts';
import { getJson, replicasOf, withHosts, type NodeNameJson, type TaskJson } from '../hosts/api.ts';
import type { HostCluster } from '../hosts/cluster.ts';
import type { Host } from '../hosts/host.ts';
import type { ServiceModel } from './churn.ts';

interface ServiceJson {
  ID: string;
  Spec: {
    Name: string;
    Mode: { Replicated?: { Replicas: number } };
    TaskTemplate: { ContainerSpec: { Env?: string[] } };
  };
  UpdateStatus?: { State: string };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Snapshot {
  services: ServiceJson[];
  tasks: (TaskJson & { host: string })[];
}

export async function snapshot(via: Host): Promise<Snapshot> {
  const nodes = await getJson<NodeNameJson[]>(via, '/v1.47/nodes', 5000);
  const services = await getJson<ServiceJson[]>(via, '/v1.47/services', 5000);
  const tasks = withHosts(await getJson<TaskJson[]>(via, '/v1.47/tasks', 5000), nodes);
  return { services, tasks };
}

/** Real workload processes with this exact command line, per host. */
export function workloads(c: HostCluster, cmd: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const h of c.hosts) {
    const n = c.processes(h).filter((p) => p.cmd.join(' ') === cmd.join(' ')).length;
    if (n > 0) m.set(h.name, n);
  }
  return m;
}

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** Why the cluster has not converged yet (empty: converged): API replicas, current spec, real workloads. */
export function unconverged(c: HostCluster, s: Snapshot, models: readonly ServiceModel[]): string[] {
  const why: string[] = [];
  for (const svc of s.services) {
    const want = replicasOf(svc);
    const env = svc.Spec.TaskTemplate.ContainerSpec.Env?.[0];
    const run = s.tasks.filter((t) => t.ServiceID === svc.ID && t.Status.State === 'running');
    const current = run.filter((t) => t.Spec?.ContainerSpec?.Env?.[0] === env);
    if (run.length !== want || current.length !== want)
      why.push(`${svc.Spec.Name}: ${run.length} running (${current.length} of ${env}), want ${want}`);
    if (svc.UpdateStatus && !['completed', 'rollback_completed'].includes(svc.UpdateStatus.State))
      why.push(`${svc.Spec.Name}: update ${svc.UpdateStatus.State}`);
    const model = models.find((m) => m.name === svc.Spec.Name);
    if (model) {
      const procs = sum(workloads(c, model.cmd));
      if (procs !== want) why.push(`${svc.Spec.Name}: ${procs} workload processes, want ${want}`);
    }
  }
  // workloads of services that no longer exist
  for (const m of models)
    if (!s.services.some((x) => x.Spec.Name === m.name)) {
      const procs = sum(workloads(c, m.cmd));
      if (procs > 0) why.push(`${m.name} (absent): ${procs} workload processes still running`);
    }
  return why;
}

/** Two RUNNING tasks for one (service, slot), in one snapshot. */
export function duplicateSlots(s: Snapshot): string[] {
  const seen = new Map<string, string>();
  const dup: string[] = [];
  for (const t of s.tasks.filter((x) => x.Status.State === 'running')) {
    const key = `${t.ServiceID}/${t.Slot ?? '-'}`;
    const other = seen.get(key);
    if (other) dup.push(`slot ${key}: tasks ${other} and ${t.ID}@${t.host}`);
    else seen.set(key, `${t.ID}@${t.host}`);
  }
  return dup;
}

/** Every acknowledged write present: services with the last acked spec, removed ones gone. */
export function lostWrites(s: Snapshot, models: readonly ServiceModel[]): string[] {
  const bad: string[] = [];
  for (const m of models) {
    const svc = s.services.find((x) => x.Spec.Name === m.name);
    if (m.existence === 'gone' && svc) bad.push(`${m.name}: removal acknowledged, still listed`);
    if (m.existence === 'present') {
      if (!svc) bad.push(`${m.name}: acknowledged, not removed, absent`);
      else if (m.spec) {
        const replicas = svc.Spec.Mode.Replicated?.Replicas;
        const env = svc.Spec.TaskTemplate.ContainerSpec.Env?.[0];
        if (replicas !== m.spec.replicas || env !== `GEN=${m.spec.gen}`)
          bad.push(
            `${m.name}: last acknowledged replicas=${m.spec.replicas} GEN=${m.spec.gen}, found replicas=${replicas} ${env}`,
          );
      }
    }
  }
  return bad;
}

/** Secret values found in a host's data root where no running task of a service using it runs. */
export function strayedSecrets(c: HostCluster, s: Snapshot, models: readonly ServiceModel[]): string[] {
  const bad: string[] = [];
  for (const m of models) {
    if (!m.secret) continue;
    const svc = s.services.find((x) => x.Spec.Name === m.name);
    const hosts = new Set(
      s.tasks.filter((t) => svc && t.ServiceID === svc.ID && t.Status.State === 'running').map((t) => t.host),
    );
    for (const h of c.hosts) {
      if (hosts.has(h.name)) continue;
      const found = filesContaining(h.dataRoot, m.secret.value);
      if (found.length > 0)
        bad.push(`${m.secret.name} on ${h.name} (no running task of ${m.name}): ${found.join(', ')}`);
    }
  }
  return bad;
}

/** Managers that do not answer a read, or see no leader. */
export async function silentManagers(c: HostCluster): Promise<string[]> {
  const bad: string[] = [];
  for (const m of c.managers()) {
    const r = await m.api('GET', '/v1.47/services', undefined, 5000).catch((e: unknown) => String(e));
    if (typeof r === 'string' || r.status !== 200)
      bad.push(`${m.name}: ${typeof r === 'string' ? r : `${r.status} ${r.body}`}`);
    else if ((await c.leaderSeenBy(m)) === undefined) bad.push(`${m.name}: sees no leader`);
  }
  return bad;
}

export { sleep };
