/**
 * A swarm of "hosts", each a network namespace running its own shoald, on a private underlay, with
 * fault injection. `await HostCluster.start({ managers: 3, workers: 2 })` creates the hosts, inits the
 * swarm on m1, joins the other managers one by one and the workers, and waits until every node is
 * ready; `destroy()` removes everything. Faults: partition/heal, loss, delay, kill, pause/resume,
 * restart, fillDisk/freeDisk, corrupt. Hosts are named m1…, w1…; refer to one by name, index or Host.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as faults from './faults.ts';
import { Host, type DaemonSettings, type HostState } from './host.ts';
import { newPrefix, register, sweepRun, sweepStale } from './registry.ts';
import { cmdline, pidsInNetns, netnsInode, run, unavailableReason } from './sys.ts';
import { createHostNs, createUnderlay, listRules, pickSubnetOctet } from './underlay.ts';

export interface HostClusterOptions extends DaemonSettings {
  readonly managers: number;
  readonly workers?: number;
  /** Size of each host's data-root tmpfs (MiB); default 64. */
  readonly diskMb?: number;
  /** Where the run's folder goes; default the system temp dir. */
  readonly dir?: string;
  /** Not swept as stale when this process exits (the CLI's clusters). */
  readonly persistent?: boolean;
}

/** Everything needed to reattach to a running cluster (the CLI's state file). */
export interface ClusterState {
  readonly prefix: string;
  readonly root: string;
  readonly subnetOctet: number;
  readonly settings: DaemonSettings;
  readonly diskMb: number;
  readonly hosts: readonly HostState[];
}

export type HostRef = Host | string | number;

interface NodeJson {
  Spec: { Role: string };
  Description?: { Hostname?: string };
  Status: { State: string };
  ManagerStatus?: { Leader?: boolean };
}

export class HostCluster {
  readonly hosts: readonly Host[];

  /** Sweeps a test run that never got to destroy() when its process exits (not the CLI's clusters). */
  private exitHook: (() => void) | undefined;

  private constructor(readonly state: ClusterState) {
    this.hosts = state.hosts.map((s) => new Host(s, state.settings));
  }

  /** Why the harness cannot run on this machine (not root, no `ip netns`…), or undefined. */
  static unavailable(): string | undefined {
    return unavailableReason();
  }

  /** Wraps the state of a cluster started earlier (by another process). */
  static attach(state: ClusterState): HostCluster {
    return new HostCluster(state);
  }

  /** Creates the hosts, starts their daemons and forms the swarm. Sweeps stale runs first. */
  static async start(o: HostClusterOptions): Promise<HostCluster> {
    const why = unavailableReason();
    if (why) throw new Error(`HostCluster: ${why}`);
    if (!(o.managers >= 1)) throw new RangeError(`managers must be ≥ 1 (got ${o.managers})`);
    sweepStale();
    const prefix = newPrefix();
    const root = join(o.dir ?? tmpdir(), `shoal-hosts-${prefix}`);
    const subnetOctet = pickSubnetOctet();
    register({ prefix, root, subnetOctet, persistent: o.persistent ?? false });
    const names = [
      ...Array.from({ length: o.managers }, (_, i) => ({ name: `m${i + 1}`, role: 'manager' as const })),
      ...Array.from({ length: o.workers ?? 0 }, (_, i) => ({ name: `w${i + 1}`, role: 'worker' as const })),
    ];
    const hosts: HostState[] = names.map(({ name, role }, i) => {
      const dir = join(root, name);
      return {
        name,
        role,
        ns: `${prefix}-${name}`,
        ip: `10.250.${subnetOctet}.${10 + i}`,
        dir,
        dataRoot: join(dir, 'data'),
        socket: join(dir, 'shoal.sock'),
        logFile: join(dir, 'shoald.log'),
      };
    });
    const settings: DaemonSettings = {
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.heartbeatMs !== undefined ? { heartbeatMs: o.heartbeatMs } : {}),
      ...(o.logLevel !== undefined ? { logLevel: o.logLevel } : {}),
    };
    const c = new HostCluster({ prefix, root, subnetOctet, settings, diskMb: o.diskMb ?? 64, hosts });
    if (!o.persistent) {
      c.exitHook = () => sweepRun(prefix, root);
      process.once('exit', c.exitHook);
    }
    try {
      c.createHosts();
      await Promise.all(c.hosts.map((h) => h.start()));
      await c.formSwarm();
    } catch (err) {
      await c.destroy();
      throw err;
    }
    return c;
  }

  private createHosts(): void {
    createUnderlay(this.state.prefix);
    for (const h of this.state.hosts) {
      if (h.socket.length > 100) throw new Error(`socket path too long for AF_UNIX: ${h.socket}`);
      createHostNs(this.state.prefix, h.ns, h.name, h.ip);
      mkdirSync(h.dataRoot, { recursive: true, mode: 0o700 });
      run('mount', ['-t', 'tmpfs', '-o', `size=${this.state.diskMb}m,mode=0700`, 'shoal-hosts', h.dataRoot]);
    }
  }

  private async formSwarm(): Promise<void> {
    const [first, ...others] = this.managers();
    if (!first) throw new Error('no manager');
    const init = await first.api('POST', '/v1.47/swarm/init', {
      ListenAddr: first.addr,
      AdvertiseAddr: first.addr,
      Spec: {},
    });
    if (init.status !== 200) throw new Error(`swarm init on ${first.name}: ${init.status} ${init.body}`);
    const tokens = (await first.api('GET', '/v1.47/swarm')).json<{
      JoinTokens: { Worker: string; Manager: string };
    }>().JoinTokens;
    const join = async (h: Host, token: string): Promise<void> => {
      const r = await h.api('POST', '/v1.47/swarm/join', {
        ListenAddr: h.addr,
        AdvertiseAddr: h.addr,
        RemoteAddrs: [first.addr],
        JoinToken: token,
      });
      if (r.status !== 200) throw new Error(`swarm join of ${h.name}: ${r.status} ${r.body}\n${h.tail()}`);
    };
    // raft takes one membership change at a time
    for (const m of others) await join(m, tokens.Manager);
    await Promise.all(this.workers().map((w) => join(w, tokens.Worker)));
    await this.waitFor(
      async () => {
        const nodes = (await first.api('GET', '/v1.47/nodes', undefined, 5000)).json<NodeJson[]>();
        return nodes.length === this.hosts.length && nodes.every((n) => n.Status.State === 'ready');
      },
      'every node ready',
      60_000,
    );
  }

  // ---- hosts ----

  get prefix(): string {
    return this.state.prefix;
  }
  get root(): string {
    return this.state.root;
  }
  /** The underlay subnet, `10.250.X.0/24`. */
  get subnet(): string {
    return `10.250.${this.state.subnetOctet}.0/24`;
  }

  /** A host by name (`m1`, `w2`), by index in `hosts`, or itself. */
  host(ref: HostRef): Host {
    if (ref instanceof Host) return ref;
    const h = typeof ref === 'number' ? this.hosts[ref] : this.hosts.find((x) => x.name === ref);
    if (!h) throw new Error(`no host ${String(ref)} (hosts: ${this.hosts.map((x) => x.name).join(', ')})`);
    return h;
  }

  managers(): Host[] {
    return this.hosts.filter((h) => h.role === 'manager');
  }

  workers(): Host[] {
    return this.hosts.filter((h) => h.role === 'worker');
  }

  /** Which host `via` believes leads raft (from its node list), or undefined when it cannot say. */
  async leaderSeenBy(via: HostRef, timeoutMs = 3000): Promise<Host | undefined> {
    const h = this.host(via);
    try {
      const r = await h.api('GET', '/v1.47/nodes', undefined, timeoutMs);
      if (r.status !== 200) return undefined;
      const name = r.json<NodeJson[]>().find((n) => n.ManagerStatus?.Leader)?.Description?.Hostname;
      return name === undefined ? undefined : this.hosts.find((x) => x.name === name);
    } catch {
      return undefined;
    }
  }

  /** The leader a majority of all managers agree on; throws when there is none right now. */
  async leader(): Promise<Host> {
    const ms = this.managers();
    const seen = await Promise.all(ms.filter((m) => m.running()).map((m) => this.leaderSeenBy(m)));
    const votes = new Map<Host, number>();
    for (const l of seen) if (l) votes.set(l, (votes.get(l) ?? 0) + 1);
    for (const [l, n] of votes) if (n > ms.length / 2) return l;
    throw new Error(
      `no leader agreed by a majority of the ${ms.length} managers (they see: ${seen.map((l) => l?.name ?? '-').join(', ')})`,
    );
  }

  /** Processes in the host's network namespace other than its shoald (its tasks), with command lines. */
  processes(ref: HostRef): { pid: number; cmd: string[] }[] {
    const h = this.host(ref);
    const ino = netnsInode(h.s.ns);
    if (ino === undefined) return [];
    return pidsInNetns(new Set([ino]))
      .filter((p) => p !== h.pid)
      .map((pid) => ({ pid, cmd: cmdline(pid) ?? [] }))
      .filter((p) => p.cmd.length > 0);
  }

  // ---- faults ----

  /** Cuts the network between two groups of hosts (see faults.partition); heal() undoes it. */
  partition(a: readonly HostRef[], b: readonly HostRef[], o: { oneWay?: boolean } = {}): void {
    faults.partition(
      a.map((r) => this.net(r)),
      b.map((r) => this.net(r)),
      o.oneWay ?? false,
    );
  }

  /** Removes every partition. */
  heal(): void {
    faults.heal(this.hosts.map((h) => this.net(h)));
  }

  /** Random packet loss on the host's underlay link, both directions; 0 removes it. */
  loss(ref: HostRef, pct: number): void {
    faults.loss(this.net(ref), pct);
  }

  /** Delays the host's outgoing underlay packets (netem); throws DelayUnsupportedError without sch_netem. */
  delay(ref: HostRef, ms: number): void {
    faults.delay(this.net(ref), ms);
  }

  /** SIGKILLs the host's shoald (its tasks keep running, as after a daemon crash). */
  async kill(ref: HostRef): Promise<void> {
    await this.host(ref).stop('SIGKILL');
  }

  /** SIGSTOPs the host's shoald. */
  pause(ref: HostRef): void {
    if (!this.host(ref).signal('SIGSTOP')) throw new Error(`pause: ${this.host(ref).name} is not running`);
  }

  /** SIGCONTs the host's shoald. */
  resume(ref: HostRef): void {
    if (!this.host(ref).signal('SIGCONT')) throw new Error(`resume: ${this.host(ref).name} is not running`);
  }

  /** Stops the host's shoald (SIGTERM, or SIGKILL) when it runs, and starts it again on the same data. */
  async restart(ref: HostRef, how: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const h = this.host(ref);
    await h.stop(how);
    await h.start();
  }

  /** Fills the host's data-root tmpfs until ENOSPC; returns the bytes written. freeDisk() undoes it. */
  fillDisk(ref: HostRef): number {
    return faults.fillDisk(this.host(ref).dataRoot);
  }

  freeDisk(ref: HostRef): void {
    faults.freeDisk(this.host(ref).dataRoot);
  }

  /** Flips bytes in a file (or every file of a folder) under the host's data root; returns them. */
  corrupt(ref: HostRef, relPath: string): string[] {
    return faults.corrupt(this.host(ref).dataRoot, relPath);
  }

  // ---- waiting, diagnostics, end ----

  /** Waits until `cond` holds (errors count as "not yet"); on timeout throws with describe(). */
  async waitFor(cond: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        if (await cond()) return;
      } catch (err) {
        last = err;
      }
      if (Date.now() > end) {
        const why = last instanceof Error ? `\nlast error: ${last.message}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}\n${this.describe()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Every host: address, daemon state, fault rules, and the end of its log. */
  describe(lines = 12): string {
    return this.hosts
      .map((h) => {
        const rules = listRules(h.s.ns);
        const state = h.running() ? `pid ${h.pid}` : 'not running';
        return `=== ${h.name} ${h.role} ${h.ip} (${state})${rules.length ? `\n  ${rules.join('\n  ')}` : ''}\n${h.tail(lines)}`;
      })
      .join('\n');
  }

  /**
   * Kills every daemon and task, deletes the namespaces, unmounts and removes the run's folder. With
   * SHOAL_HOSTS_KEEP_LOGS=DIR, the daemons' logs are copied to DIR/<prefix>/ first.
   */
  async destroy(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.stop('SIGKILL')));
    const keep = process.env['SHOAL_HOSTS_KEEP_LOGS'];
    if (keep) {
      const to = join(keep, this.state.prefix);
      mkdirSync(to, { recursive: true });
      for (const h of this.hosts) cpSync(h.s.logFile, join(to, `${h.name}.log`), { force: true });
    }
    sweepRun(this.state.prefix, this.state.root);
    if (this.exitHook) process.off('exit', this.exitHook);
  }

  private net(ref: HostRef): faults.NetHost {
    const h = this.host(ref);
    return { name: h.name, ns: h.s.ns, ip: h.ip };
  }
}
