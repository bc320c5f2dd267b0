/**
 * Node lifecycle faults on a swarm of hosts (network namespaces, one shoald each, see hosts/README.md),
 * checked as a user sees them through the API and the CLI:
 * (1) an autolocked manager restarted: it is locked (503, Docker's message; `shoal node ls` says to
 *     unlock) until `swarm unlock` with the right key, a wrong key is refused, the rest keeps taking
 *     writes, and once unlocked it catches up with them;
 * (2) drain, promote and demote under a stream of service updates and scales: tasks leave the drained
 *     node, the promoted worker becomes a reachable manager, the demoted manager leaves raft with quorum
 *     kept; replicas converge, one RUNNING task per slot, each task sees its secret; (2b) a node whose
 *     tasks of the service all ended holds no copy of the secret's value;
 * (3) a join racing a worker token rotation: it either joins or fails with a clear invalid-token error;
 *     the old token never works afterwards, the new one does;
 * (4) a root CA rotation with a worker offline throughout: like Swarm, the rotation waits for every node;
 *     the online ones move to the new root at once; the offline one, back, renews from the new root,
 *     the rotation finishes, and its tasks run again.
 * Raft ticks are 50 ms and dispatcher heartbeats 1 s (a node is DOWN after 3 missed ones).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateDir } from '../ca/keyfile.ts';
import { filesContaining } from './harness.ts';
import { shoalCli, tasksOf, withHosts, type TaskJson } from './hosts/api.ts';
import { HostCluster } from './hosts/cluster.ts';
import type { Host } from './hosts/host.ts';
import { addSpareHost } from './hosts/spare.ts';
interface TlsInfo {
  TrustRoot?: string;
  CertIssuerSubject?: string;
  CertIssuerPublicKey?: string;
}
interface NodeJson {
  ID: string;
  Version: { Index: number };
  Spec: { Role: string; Availability: string; Labels?: Record<string, string> };
  Description?: { Hostname?: string; TLSInfo?: TlsInfo };
  Status: { State: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string };
}
interface SwarmJson {
  Version: { Index: number };
  Spec: Record<string, unknown> & { EncryptionConfig?: { AutoLockManagers: boolean } };
  JoinTokens: { Worker: string; Manager: string };
  TLSInfo?: TlsInfo;
  RootRotationInProgress?: boolean;
}
interface ServiceJson {
  ID: string;
  Version: { Index: number };
  Spec: {
    Mode: { Replicated?: { Replicas: number } };
    TaskTemplate: { ContainerSpec: { Env?: string[] } };
  } & Record<string, unknown>;
}

const unavailable = HostCluster.unavailable();
if (unavailable) console.log(`faults-nodes: skipped: ${unavailable}`);

const LOCKED = 'Swarm is encrypted and needs to be unlocked before it can be used.';
const WEB_CMD = ['sleep', '1002'];
const PIN_CMD = ['sleep', '1003'];
const WEB_SECRET = 'web-key-value-3f9a1c';

describe.skipIf(unavailable !== undefined)('faults: node lifecycle on a swarm of hosts', () => {
  let c: HostCluster;
  /** Hosts running a web task once scenario (2) settled. */
  let webHosts = new Set<string>();
  const t0 = Date.now();
  const since = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  beforeAll(async () => {
    c = await HostCluster.start({ managers: 3, workers: 3, tickMs: 50, heartbeatMs: 1000 });
    console.log(`cluster ${c.prefix} on ${c.subnet} up at ${since()}`);
  }, 120_000);
  afterAll(async () => {
    await c?.destroy();
  }, 60_000);

  const ok = async (h: Host, method: string, path: string, body?: unknown, timeoutMs?: number) => {
    const r = await h.api(method, path, body, timeoutMs);
    if (r.status >= 300) throw new Error(`${h.name}: ${method} ${path}: ${r.status} ${r.body}`);
    return r;
  };
  const nodes = async (via: Host): Promise<(NodeJson & { host: string })[]> =>
    (await ok(via, 'GET', '/v1.47/nodes', undefined, 5000))
      .json<NodeJson[]>()
      .map((n) => ({ ...n, host: n.Description?.Hostname ?? '?' }));
  const node = async (via: Host, name: string): Promise<NodeJson & { host: string }> => {
    const n = (await nodes(via)).find((x) => x.host === name);
    if (!n) throw new Error(`no node ${name} in the node list of ${via.name}`);
    return n;
  };
  const updateNode = async (via: Host, name: string, spec: Partial<NodeJson['Spec']>): Promise<void> => {
    const n = await node(via, name);
    await ok(via, 'POST', `/v1.47/nodes/${n.ID}/update?version=${n.Version.Index}`, { ...n.Spec, ...spec });
  };
  const swarm = async (via: Host): Promise<SwarmJson> =>
    (await ok(via, 'GET', '/v1.47/swarm')).json<SwarmJson>();
  /** A service's tasks, each with the hostname of its node. */
  const placedTasks = async (via: Host, service: string): Promise<(TaskJson & { host: string })[]> => {
    const known = await nodes(via);
    return withHosts(await tasksOf(via, service, 5000), known);
  };
  /** pids of a workload (by exact command line) running in a host's namespace. */
  const workloads = (h: Host | string, cmd: readonly string[]): number[] =>
    c
      .processes(h)
      .filter((p) => p.cmd.join(' ') === cmd.join(' '))
      .map((p) => p.pid);
  /** A write through any manager that answers; the names of the acknowledged ones. */
  const acked: string[] = [];
  const writeSecret = async (via: Host, name: string, data = 'eA=='): Promise<number> => {
    const r = await via.api('POST', '/v1.47/secrets/create', { Name: name, Data: data }, 20_000);
    if (r.status === 201) acked.push(name);
    return r.status;
  };
  const secretNames = async (via: Host): Promise<Set<string>> =>
    new Set(
      (await ok(via, 'GET', '/v1.47/secrets', undefined, 5000))
        .json<{ Spec: { Name: string } }[]>()
        .map((s) => s.Spec.Name),
    );

  it('(1) an autolocked manager restarted is locked until unlocked, then catches up', async () => {
    const leader = await c.leader();
    const sw = await swarm(leader);
    await ok(leader, 'POST', `/v1.47/swarm/update?version=${sw.Version.Index}`, {
      ...sw.Spec,
      EncryptionConfig: { AutoLockManagers: true },
    });
    const key = (await ok(leader, 'GET', '/v1.47/swarm/unlockkey')).json<{ UnlockKey: string }>().UnlockKey;
    expect(key).toMatch(/^SWMKEY-1-/);
    const target = c.managers().find((m) => m !== leader) as Host;
    // Every manager's key file follows the swarm's setting (written when it applies the change).
    await c.waitFor(
      async () => new CertificateDir(join(target.dataRoot, 'certificates')).isLocked(),
      `${target.name}'s key file to be encrypted under the unlock key`,
      30_000,
    );
    expect(await writeSecret(leader, 'before-lock')).toBe(201);

    const restarted = Date.now();
    await c.restart(target);
    const info = (await ok(target, 'GET', '/v1.47/info')).json<{ Swarm: { LocalNodeState: string } }>();
    expect(info.Swarm.LocalNodeState).toBe('locked');
    const locked = await target.api('GET', '/v1.47/services');
    expect(locked.status).toBe(503);
    expect(locked.json<{ message: string }>().message).toContain(LOCKED);
    const ls = await shoalCli(target, ['node', 'ls']);
    expect(ls.code, ls.stdout).not.toBe(0);
    expect(ls.stderr).toContain(LOCKED);
    expect(ls.stderr).toMatch(/swarm unlock/);
    console.log(`(1) ${target.name} restarted locked; \`shoal node ls\` on it: ${ls.stderr.trim()}`);

    // The rest of the swarm keeps taking writes, through the leader and the other manager.
    const others = c.managers().filter((m) => m !== target);
    for (const m of others)
      for (let i = 0; i < 3; i++) expect(await writeSecret(m, `while-locked-${m.name}-${i}`)).toBe(201);

    const wrong = await target.api('POST', '/v1.47/swarm/unlock', {
      UnlockKey: 'SWMKEY-1-' + Buffer.alloc(32, 9).toString('base64').replace(/=+$/, ''),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json<{ message: string }>().message).toBe(
      'swarm could not be unlocked: invalid key provided',
    );
    expect((await target.api('GET', '/v1.47/services')).status, 'still locked after a wrong key').toBe(503);

    // `swarm unlock` reads the key from stdin, like Docker's.
    const un = await shoalCli(target, ['swarm', 'unlock'], `${key}\n`);
    expect(un.code, `${un.stdout}\n${un.stderr}`).toBe(0);
    await c.waitFor(
      async () => {
        const names = await secretNames(target);
        return acked.every((n) => names.has(n));
      },
      `every acknowledged write (${acked.length}) readable through the unlocked ${target.name}`,
      30_000,
    );
    const seen = await c.leaderSeenBy(target);
    expect(seen?.name).toBe((await c.leader()).name);
    await c.waitFor(
      async () => (await node(target, target.name)).ManagerStatus?.Reachability === 'reachable',
      `${target.name} reachable in its own node list`,
      30_000,
    );
    expect(await writeSecret(target, 'after-unlock')).toBe(201);
    console.log(`(1) ${target.name} unlocked and caught up ${Date.now() - restarted} ms after its restart`);
  }, 120_000);

  it('(2) drain, promote and demote under a stream of updates: replicas converge, secrets follow tasks', async () => {
    const leader = await c.leader();
    const sec = await ok(leader, 'POST', '/v1.47/secrets/create', {
      Name: 'web-key',
      Data: Buffer.from(WEB_SECRET).toString('base64'),
    });
    const secretId = sec.json<{ ID: string }>().ID;
    const created = await ok(leader, 'POST', '/v1.47/services/create', {
      Name: 'web',
      TaskTemplate: {
        ContainerSpec: {
          Image: 'busybox',
          Command: WEB_CMD,
          Env: ['GEN=0'],
          StopGracePeriod: 1_000_000_000,
          Secrets: [
            {
              SecretID: secretId,
              SecretName: 'web-key',
              File: { Name: 'web-key', UID: '0', GID: '0', Mode: 0o444 },
            },
          ],
        },
        Placement: { Constraints: ['node.role==worker'] },
      },
      Mode: { Replicated: { Replicas: 12 } },
      UpdateConfig: { Parallelism: 4, Delay: 0, Monitor: 500_000_000, FailureAction: 'continue' },
    });
    const webId = created.json<{ ID: string }>().ID;
    const running = async (via: Host) =>
      (await placedTasks(via, 'web')).filter((t) => t.Status.State === 'running');
    await c.waitFor(async () => (await running(leader)).length === 12, '12 running web tasks', 60_000);
    console.log(`(2) 12 web tasks running at ${since()}`);

    // The load: service updates (a new env generation, a new replica count) one after another.
    let stop = false;
    let gen = 0;
    let last: { gen: number; replicas: number } = { gen: 0, replicas: 12 };
    const errors: string[] = [];
    const load = (async () => {
      while (!stop) {
        const via = await c.leader().catch(() => undefined);
        if (via) {
          try {
            const s = (await ok(via, 'GET', `/v1.47/services/${webId}`, undefined, 5000)).json<ServiceJson>();
            const next = { gen: gen + 1, replicas: 9 + ((gen + 1) % 4) };
            const spec = structuredClone(s.Spec);
            spec.Mode = { Replicated: { Replicas: next.replicas } };
            spec.TaskTemplate.ContainerSpec.Env = [`GEN=${next.gen}`];
            const r = await via.api(
              'POST',
              `/v1.47/services/${webId}/update?version=${s.Version.Index}`,
              spec,
              10_000,
            );
            if (r.status === 200) {
              gen = next.gen;
              last = next;
            } else errors.push(`${r.status} ${r.body}`);
          } catch (err) {
            errors.push(String(err));
          }
        }
        await new Promise((r) => setTimeout(r, 700));
      }
    })();

    try {
      // Drain w1: its tasks move; none left running there.
      await updateNode(leader, 'w1', { Availability: 'drain' });
      await c.waitFor(
        async () =>
          (await placedTasks(leader, 'web')).every((t) => t.host !== 'w1' || t.Status.State !== 'running') &&
          workloads('w1', WEB_CMD).length === 0,
        'no web task running on the drained w1',
        60_000,
      );
      console.log(`(2) w1 drained at ${since()} (${gen} updates so far)`);

      // Promote w2: it joins raft and shows as a reachable manager.
      await updateNode(await c.leader(), 'w2', { Role: 'manager' });
      await c.waitFor(
        async () => {
          const n = await node(await c.leader(), 'w2');
          return n.ManagerStatus?.Reachability === 'reachable';
        },
        'w2 a reachable manager',
        60_000,
      );
      const w2 = c.host('w2');
      await c.waitFor(async () => (await c.leaderSeenBy(w2)) !== undefined, 'w2 to see a leader', 30_000);
      console.log(`(2) w2 promoted at ${since()}`);

      // Demote a manager that does not lead: it leaves raft; the rest keeps quorum and takes writes.
      const lead = await c.leader();
      const demoted = c.managers().find((m) => m !== lead) as Host;
      await updateNode(lead, demoted.name, { Role: 'worker' });
      await c.waitFor(
        async () => {
          const ns = await nodes(await c.leader());
          const d = ns.find((n) => n.host === demoted.name);
          const managers = ns.filter((n) => n.ManagerStatus);
          return (
            d !== undefined &&
            d.ManagerStatus === undefined &&
            d.Spec.Role === 'worker' &&
            managers.length === 3 &&
            managers.every((n) => n.ManagerStatus?.Reachability === 'reachable')
          );
        },
        `${demoted.name} demoted, 3 reachable managers left`,
        60_000,
      );
      // The node itself learns its new role from its renewed certificate (polled), a little after the
      // swarm's view shows it: then it stops its manager and answers as a worker.
      await c.waitFor(
        async () => (await demoted.api('GET', '/v1.47/services', undefined, 10_000)).status === 503,
        `${demoted.name} answering as a worker (503) once it knows it was demoted`,
        30_000,
      );
      const via = c.host('w2');
      expect(await writeSecret(via, 'after-demote')).toBe(201);
      console.log(`(2) ${demoted.name} demoted at ${since()}`);

      // Activate w1 again.
      await updateNode(await c.leader(), 'w1', { Availability: 'active' });
    } finally {
      stop = true;
      await load;
    }
    console.log(`(2) ${gen} service updates acknowledged during the node changes (${errors.length} refused)`);
    expect(gen, errors.join('\n')).toBeGreaterThan(3);

    // Settling: the last acknowledged spec, its replicas running, one RUNNING task per slot.
    const lead = await c.leader();
    const spec = (await ok(lead, 'GET', `/v1.47/services/${webId}`)).json<ServiceJson>().Spec;
    expect(spec.Mode.Replicated?.Replicas).toBe(last.replicas);
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual([`GEN=${last.gen}`]);
    const workerHosts = (): string[] => ['w1', 'w2', 'w3', 'm1', 'm2', 'm3'];
    const allWorkloads = (): number => workerHosts().reduce((s, h) => s + workloads(h, WEB_CMD).length, 0);
    const current = (t: TaskJson): boolean => t.Spec?.ContainerSpec?.Env?.[0] === `GEN=${last.gen}`;
    await c.waitFor(
      async () => {
        const s = (await ok(lead, 'GET', `/v1.47/services/${webId}`)).json<{
          UpdateStatus?: { State: string };
        }>();
        const run = await running(lead);
        return (
          (s.UpdateStatus === undefined || s.UpdateStatus.State === 'completed') &&
          run.length === last.replicas &&
          run.every(current) &&
          allWorkloads() === last.replicas
        );
      },
      `the update to GEN=${last.gen} completed: ${last.replicas} running web tasks of it and as many workloads`,
      90_000,
    );
    for (let i = 0; i < 5; i++) {
      const run = await running(lead);
      expect(new Set(run.map((t) => t.Slot)).size, JSON.stringify(run)).toBe(run.length);
      expect(run).toHaveLength(last.replicas);
      expect(run.every(current)).toBe(true);
      expect(allWorkloads()).toBe(last.replicas);
      await new Promise((r) => setTimeout(r, 400));
    }

    // Secrets: each running web workload sees /run/secrets/web-key; hosts with no web task run none.
    const run = await running(lead);
    webHosts = new Set(run.map((t) => t.host));
    for (const h of workerHosts()) {
      const pids = workloads(h, WEB_CMD);
      for (const pid of pids)
        expect(readFileSync(`/proc/${pid}/root/run/secrets/web-key`, 'utf8'), `${h} pid ${pid}`).toBe(
          WEB_SECRET,
        );
      if (!webHosts.has(h)) expect(pids).toEqual([]);
    }
    console.log(`(2) settled at ${since()}: ${last.replicas} replicas on ${[...webHosts].sort().join(', ')}`);
  }, 240_000);

  /**
   * Tasks shut down on a node (drained, promoted past a `node.role==worker` constraint, replaced by an
   * update) stay in its assignments as task history; their secrets must not stay with them. Docker
   * unmounts a container's secrets when it stops; the agent releases a task's secrets tmpfs when the
   * task reaches a terminal state (worker/agent/tasks.ts).
   */
  it('(2b) a node whose web tasks all ended holds no copy of web-key', async () => {
    const lead = await c.leader();
    const idle = ['w1', 'w2', 'w3', 'm1', 'm2', 'm3'].filter((h) => !webHosts.has(h));
    expect(idle.length, 'some host runs no web task').toBeGreaterThan(0);
    for (const h of idle)
      await c
        .waitFor(
          async () => {
            const found = filesContaining(c.host(h).dataRoot, WEB_SECRET);
            if (found.length === 0) return true;
            const tasks = new Map((await placedTasks(lead, 'web')).map((t) => [t.ID, t]));
            const what = found.map((f) => {
              const t = tasks.get(f.split('/secrets/')[1]?.split('/')[0] ?? '');
              return `${f} (task ${t ? `${t.Status.State}, desired ${t.DesiredState}` : 'unknown'})`;
            });
            throw new Error(`web-key's value on ${h}, which runs no web task: ${what.join(', ')}`);
          },
          `no copy of web-key's value on ${h}`,
          20_000,
        )
        .catch((err: unknown) => {
          console.log(`(2b) failed: ${String(err).split('\n').slice(0, 2).join(' ').slice(0, 600)}`);
          throw err;
        });
  }, 60_000);

  it('(3) a join racing a worker token rotation: joined or a clear invalid-token error; old token dead after', async () => {
    const lead = await c.leader();
    const old = (await swarm(lead)).JoinTokens.Worker;
    const [s1, s2] = await Promise.all([addSpareHost(c, 1), addSpareHost(c, 2)]);
    const join = (h: Host, token: string) =>
      h.api(
        'POST',
        '/v1.47/swarm/join',
        { ListenAddr: h.addr, AdvertiseAddr: h.addr, RemoteAddrs: [lead.addr], JoinToken: token },
        60_000,
      );
    const sw = await swarm(lead);
    const [raced, rotated] = await Promise.all([
      join(s1, old),
      lead.api('POST', `/v1.47/swarm/update?version=${sw.Version.Index}&rotateWorkerToken=true`, sw.Spec),
    ]);
    expect(rotated.status, rotated.body).toBe(200);
    const fresh = (await swarm(lead)).JoinTokens.Worker;
    expect(fresh).not.toBe(old);
    expect(fresh.split('-')[2], 'a token rotation keeps the CA digest').toBe(old.split('-')[2]);
    console.log(`(3) the join racing the rotation: ${raced.status} ${raced.body.trim()}`);
    if (raced.status !== 200) {
      expect(raced.status).toBeGreaterThanOrEqual(400);
      expect(raced.json<{ message: string }>().message).toMatch(/invalid join token|join token/i);
      const info = (await ok(s1, 'GET', '/v1.47/info')).json<{ Swarm: { LocalNodeState: string } }>();
      expect(info.Swarm.LocalNodeState, 'a refused join leaves the host out of any swarm').toBe('inactive');
      expect(
        (await nodes(lead)).map((n) => n.host),
        'and leaves no node behind',
      ).not.toContain('s1');
    }

    // The old token never works after the rotation; the message says why.
    const refused = await join(s2, old);
    expect(refused.status, refused.body).toBeGreaterThanOrEqual(400);
    expect(refused.json<{ message: string }>().message).toMatch(/invalid join token.*rotated/i);
    console.log(`(3) the old token after the rotation: ${refused.status} ${refused.body.trim()}`);

    // The new token works.
    const pending = raced.status === 200 ? [s2] : [s1, s2];
    for (const h of pending) {
      const r = await join(h, fresh);
      expect(r.status, `${h.name} joining with the new token: ${r.body}`).toBe(200);
    }
    await c.waitFor(
      async () => {
        const ns = await nodes(await c.leader());
        return ['s1', 's2'].every((n) => ns.find((x) => x.host === n)?.Status.State === 'ready');
      },
      's1 and s2 ready in the node list',
      60_000,
    );
    // They leave again, so later scenarios see the six hosts only.
    for (const h of [s1, s2]) await ok(h, 'POST', '/v1.47/swarm/leave?force=true');
    for (const n of ['s1', 's2']) {
      await c.waitFor(
        async () => (await node(await c.leader(), n)).Status.State === 'down',
        `${n} down`,
        30_000,
      );
      await ok(await c.leader(), 'DELETE', `/v1.47/nodes/${(await node(await c.leader(), n)).ID}?force=true`);
    }
    await Promise.all([s1.stop('SIGKILL'), s2.stop('SIGKILL')]);
  }, 180_000);

  it('(4) a root CA rotation with a worker offline: waits for it; back, it renews from the new root', async () => {
    const lead = await c.leader();
    const offline = c.host('w3');
    const pinned = await ok(lead, 'POST', '/v1.47/services/create', {
      Name: 'pinned',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Command: PIN_CMD, StopGracePeriod: 1_000_000_000 },
        Placement: { Constraints: ['node.hostname==w3'] },
      },
      Mode: { Replicated: { Replicas: 1 } },
    });
    const pinnedId = pinned.json<{ ID: string }>().ID;
    const pinnedRunning = async (): Promise<boolean> =>
      (await placedTasks(await c.leader(), pinnedId)).filter((t) => t.Status.State === 'running').length ===
        1 && workloads('w3', PIN_CMD).length === 1;
    await c.waitFor(pinnedRunning, 'the pinned task running on w3', 60_000);
    const before = await swarm(lead);
    const oldRoot = before.TLSInfo?.TrustRoot ?? '';
    expect(oldRoot).toContain('BEGIN CERTIFICATE');
    const oldKey = new X509Certificate(oldRoot).publicKey;
    /** The leaf certificate and trusted root a host holds on disk. */
    const certsOf = async (h: Host): Promise<{ leaf: X509Certificate; rootPem: string }> => {
      const { certPem, rootPem } = await new CertificateDir(
        join(h.dataRoot, 'certificates'),
      ).readCertificates();
      return { leaf: new X509Certificate(certPem), rootPem };
    };
    const online = c.hosts.filter((h) => h !== offline);

    await c.kill(offline);
    await c.waitFor(async () => (await node(lead, 'w3')).Status.State === 'down', 'w3 down', 30_000);
    const started = Date.now();
    const rot = await shoalCli(lead, ['swarm', 'ca', '--rotate', '--detach']);
    expect(rot.code, rot.stderr).toBe(0);

    // Every online node renews at once with a certificate from the new key (which the old root alone
    // does not verify: it comes with the cross-signed intermediate); w3 still holds its old one.
    await c.waitFor(
      async () => {
        const renewed = await Promise.all(online.map(async (h) => !(await certsOf(h)).leaf.verify(oldKey)));
        const stale = online.filter((_, i) => !renewed[i]).map((h) => h.name);
        if (stale.length > 0) throw new Error(`not renewed yet: ${stale.join(', ')}`);
        return true;
      },
      'every online node to hold a certificate from the new key',
      60_000,
    );
    expect((await certsOf(offline)).leaf.verify(oldKey), 'w3, offline, still has its old certificate').toBe(
      true,
    );
    console.log(`(4) online nodes renewed ${Date.now() - started} ms into the rotation`);
    // Like Swarm's, the rotation waits for every node: still in progress, the old root still the root.
    for (let i = 0; i < 3; i++) {
      const during = await swarm(await c.leader());
      expect(during.RootRotationInProgress).toBe(true);
      expect(during.TLSInfo?.TrustRoot, 'the old root stays the trust root while w3 has not renewed').toBe(
        oldRoot,
      );
      await new Promise((r) => setTimeout(r, 1000));
    }
    const ca = await shoalCli(await c.leader(), ['swarm', 'ca']);
    expect(ca.code, ca.stderr).toBe(0);
    expect(ca.stdout.trim()).toBe(oldRoot.trim());

    const back = Date.now();
    await offline.start();
    let newRoot = '';
    await c.waitFor(
      async () => {
        const s = await swarm(await c.leader());
        newRoot = s.TLSInfo?.TrustRoot ?? '';
        const ns = await nodes(await c.leader());
        return (
          s.RootRotationInProgress !== true &&
          newRoot !== oldRoot &&
          ns.every((n) => n.Status.State === 'ready')
        );
      },
      'the rotation to finish with every node ready',
      90_000,
    );
    console.log(`(4) rotation finished ${Date.now() - back} ms after w3 came back`);
    const after = await swarm(await c.leader());
    expect(after.JoinTokens.Worker.split('-')[2], 'the join tokens carry the new digest').not.toBe(
      before.JoinTokens.Worker.split('-')[2],
    );
    const caAfter = await shoalCli(await c.leader(), ['swarm', 'ca']);
    expect(caAfter.stdout.trim()).toBe(newRoot.trim());
    // Every node, w3 included, ends with a certificate from the new root, and trusts only it.
    const newKey = new X509Certificate(newRoot).publicKey;
    await c.waitFor(
      async () => {
        for (const h of c.hosts) {
          const { leaf, rootPem } = await certsOf(h);
          if (!leaf.verify(newKey) || rootPem.trim() !== newRoot.trim())
            throw new Error(
              `${h.name}: leaf from the new key ${leaf.verify(newKey)}, trusts the new root only ${rootPem.trim() === newRoot.trim()}`,
            );
        }
        return true;
      },
      'every node on a certificate from the new root, trusting only it',
      30_000,
    );
    // w3's pinned task runs there again.
    await c.waitFor(pinnedRunning, 'the pinned task running on w3 again', 60_000);
    console.log(`(4) w3's pinned task runs again at ${since()}`);

    // Another rotation with every node up, waited on as `docker swarm ca --rotate` does: it returns
    // once the swarm and every node (Description.TLSInfo) show the new root and issuer.
    const waited = Date.now();
    const again = await shoalCli(await c.leader(), ['swarm', 'ca', '--rotate']);
    expect(again.code, again.stderr).toBe(0);
    const final = await swarm(await c.leader());
    const finalRoot = final.TLSInfo?.TrustRoot ?? '';
    expect(finalRoot).not.toBe(newRoot);
    expect(again.stdout.trim().endsWith(finalRoot.trim())).toBe(true);
    const described = (await ok(await c.leader(), 'GET', '/v1.47/nodes')).json<
      { Description?: { TLSInfo?: { TrustRoot?: string; CertIssuerSubject?: string } } }[]
    >();
    expect(described.map((n) => n.Description?.TLSInfo?.TrustRoot === finalRoot)).toEqual(
      described.map(() => true),
    );
    console.log(`(4) swarm ca --rotate (waiting) returned after ${Date.now() - waited} ms`);
  }, 240_000);
});
