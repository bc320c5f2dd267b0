/**
 * A manager, assembled: its certificates and keys on disk, raft (with the object store and the CA
 * state in one log), the cluster port serving Raft, CA, NodeCA, RaftMembership, Dispatcher and Control
 * over mutual TLS with per-RPC authorization, and the leader's reconciliation loops (allocator,
 * scheduler, orchestrators with the rolling updater, dispatcher, root rotation), started when this
 * manager becomes leader and stopped when it stops being leader.
 *
 * Three ways to start: `init` (a new swarm), `join` (with a manager token, through any manager) and
 * `open` (restart from the data root; LockedError while autolocked without the unlock key).
 */
import * as grpc from '@grpc/grpc-js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { issueFromState, newCaState, RootRotationController } from '../ca/admin.ts';
import { authzInterceptor, peerIdentity } from '../ca/authz.ts';
import { joinSwarm } from '../ca/client.ts';
import { ManagerKeys } from '../ca/dek.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { createCsr, generateKeyPair, identityOf, privateKeyPem, type NodeIdentity } from '../ca/pki.ts';
import { CaServer, LEADER_ADDR_HEADER } from '../ca/server.ts';
import { CaStore } from '../ca/store.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import type { JoinResponse, JoinResponse__Output } from '../proto/gen/shoal/api/JoinResponse.ts';
import { grpcServices } from '../proto/load.ts';
import { FailedPreconditionError, toGrpcError } from '../proto/shared/errors.ts';
import { newId } from '../proto/shared/ids.ts';
import type { Logger } from '../proto/shared/log.ts';
import { silentLogger } from '../proto/shared/log.ts';
import { RaftNode, type Member } from '../raft/node/index.ts';
import { ensureIngress } from './allocator/ingress.ts';
import { initCluster, type InitClusterOptions } from './controlapi/cluster.ts';
import type { ControlService } from './controlapi/rpc.ts';
import { ReplicatedState, taggedProposers } from './replicated.ts';
import { routed } from './routing.ts';
import { MemoryStore } from './store/memory.ts';

/** Something that runs on the leader only. */
export interface LeaderComponent {
  start(): void;
  stop(): Promise<void>;
}

/** What a leader-only component may use. */
export interface ManagerContext {
  readonly store: MemoryStore;
  readonly ca: CaStore;
  readonly raft: RaftNode;
  readonly identity: NodeIdentity;
  readonly addr: string;
  readonly log: Logger;
  readonly creds: NodeTlsCredentials;
  isLeader(): boolean;
  /** The leader's cluster address when another manager leads. */
  leaderAddr(): string | null;
  /** The managers agents may use, leader first. */
  managers(): { nodeId: string; addr: string }[];
}

/** The leader's loops and the gRPC services they serve while leading. */
export interface LeaderSet {
  readonly components: readonly LeaderComponent[];
  /** Handlers by service name (e.g. 'Dispatcher'), served while this set runs. */
  readonly services: Readonly<Record<string, grpc.UntypedServiceImplementation>>;
}

export type LeaderFactory = (ctx: ManagerContext) => LeaderSet;

export interface ManagerOptions {
  /** Where certificates, keys and raft data live. */
  readonly dataRoot: string;
  /** host:port to listen on and to advertise (the cluster port; Swarm's 2377). */
  readonly addr: string;
  readonly listenAddr?: string;
  readonly unlockKey?: string;
  /** `swarm init --force-new-cluster`: restart as the only member of raft, keeping the committed state. */
  readonly forceNewCluster?: boolean;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly log?: Logger;
  /**
   * Raft failed for good (its storage could not write: disk full, I/O error) and stopped. The daemon
   * takes the process down (STYLE §9) instead of answering "raft: node is stopped" forever.
   */
  readonly onFatal?: (err: Error) => void;
  /** The leader's loops (default: none — the daemon passes the full control plane). */
  readonly leader?: LeaderFactory;
  /** The control API on every manager (answered by the leader, forwarded by followers). */
  readonly control?: (ctx: ManagerContext) => {
    readonly api: ControlService;
    readonly services: Readonly<Record<string, grpc.UntypedServiceImplementation>>;
  };
}

const ROUTED_SERVICES = ['Dispatcher', 'LogBroker'] as const;

export class Manager implements ManagerContext {
  readonly log: Logger;
  private leaderSet: LeaderSet | undefined;
  private transitions: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly rotation: RootRotationController;

  private constructor(
    private readonly o: ManagerOptions,
    readonly store: MemoryStore,
    readonly ca: CaStore,
    readonly raft: RaftNode,
    readonly creds: NodeTlsCredentials,
    readonly identity: NodeIdentity,
    readonly keys: ManagerKeys,
  ) {
    this.log = (o.log ?? silentLogger()).child({ component: 'manager', nodeId: identity.nodeId });
    this.rotation = new RootRotationController({ store: ca, isLeader: () => raft.isLeader(), log: this.log });
    this.rotation.start();
    raft.on('leaderChange', () => this.onLeaderChange());
    this.onLeaderChange();
    ca.on('change', () => this.followUnlockKey());
    this.followUnlockKey();
  }

  private keyUpdates: Promise<void> = Promise.resolve();

  /**
   * Keeps this manager's key file in step with the swarm's autolock setting: autolock on encrypts the
   * key file under the swarm's unlock key and rotates the DEK (re-encrypting the raft data), a new unlock
   * key re-encrypts the key file, autolock off stores it in clear again.
   */
  private followUnlockKey(): void {
    this.keyUpdates = this.keyUpdates
      .then(async () => {
        if (this.stopped || !this.ca.initialised) return;
        const want = this.ca.state.unlockKey;
        if (want && !this.keys.autolocked) {
          const { pending } = await this.keys.enableAutolock(want);
          await this.raft.rekey(pending);
          await this.keys.commitPendingDek();
          this.log.info('autolock on: key file encrypted under the unlock key, DEK rotated');
        } else if (want && !this.keys.usesUnlockKey(want)) {
          await this.keys.rotateUnlockKey(want);
          this.log.info('unlock key rotated: key file re-encrypted');
        } else if (!want && this.keys.autolocked) {
          await this.keys.disableAutolock();
          this.log.info('autolock off: key file stored in clear');
        }
      })
      .catch((err: unknown) => this.log.error({ err }, 'could not apply the swarm autolock setting'));
  }

  /**
   * `swarm leave --force` on a manager: hands leadership on if it leads, asks the leader to remove it
   * from raft, then stops. The last manager just stops (the swarm's state goes with it).
   */
  async leave(): Promise<void> {
    const others = this.raft.status().members.filter((m) => m.id !== this.nodeId);
    const next = others[0];
    if (next) {
      if (this.raft.isLeader()) {
        this.raft.transferLeadership(next.id);
        const end = Date.now() + 10_000;
        while (this.raft.leader()?.id === this.nodeId || !this.raft.leader()) {
          if (Date.now() > end)
            throw new FailedPreconditionError('leadership could not be handed to another manager in time');
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      const addr = this.leaderAddr();
      if (!addr) throw new FailedPreconditionError('no raft leader to leave through');
      await raftLeave(addr, this.creds);
    }
    await this.stop();
  }

  get addr(): string {
    return this.o.addr;
  }

  get nodeId(): string {
    return this.identity.nodeId;
  }

  isLeader(): boolean {
    return this.raft.isLeader();
  }

  leaderAddr(): string | null {
    const l = this.raft.leader();
    return l && l.id !== this.nodeId ? l.addr : null;
  }

  managers(): { nodeId: string; addr: string }[] {
    const st = this.raft.status();
    const lead = this.raft.leader();
    const all = st.members.map((m) => ({ nodeId: m.id, addr: m.addr }));
    if (!all.some((m) => m.nodeId === this.nodeId)) all.push({ nodeId: this.nodeId, addr: this.addr });
    return all.sort((a, b) => (a.nodeId === lead?.id ? -1 : b.nodeId === lead?.id ? 1 : 0));
  }

  // ---- starting ----

  /** `swarm init`: a new swarm with this manager as its only member. */
  static async init(
    o: ManagerOptions & {
      readonly clusterId?: string;
      /** `swarm init` options: the spec's non-zero fields over Swarm's defaults, address pool, data path port. */
      readonly cluster?: Omit<InitClusterOptions, 'clusterId' | 'joinTokens' | 'rootCaPem'>;
    },
  ): Promise<Manager> {
    const dir = new CertificateDir(join(o.dataRoot, 'certificates'));
    const keys = await generateKeyPair();
    const keyPem = await privateKeyPem(keys.privateKey);
    const nodeId = newId<'node'>();
    const state = await newCaState({ clusterId: o.clusterId ?? newId<'cluster'>() });
    const { certPem, record } = await issueFromState(state, await createCsr(keys), nodeId, 'manager');
    await dir.write(state.rootCertPem, certPem, { keyPem, dek: null, pendingDek: null }, null);
    let m: Manager | undefined;
    try {
      m = await Manager.start(o, dir, { bootstrap: true });
      await m.waitForLeader();
      await m.ca.propose({ op: 'init', state });
      await m.ca.propose(record);
      await initCluster(m.store, {
        ...o.cluster,
        clusterId: state.clusterId,
        joinTokens: state.joinTokens,
        rootCaPem: state.rootCertPem,
      });
      await ensureIngress(m.store);
      return m;
    } catch (err) {
      // A half-made swarm (e.g. the listen port was taken) must not stay behind: its raft log is
      // sealed with a data key that dies with this attempt, so every later init would fail on it.
      await m?.stop().catch(() => undefined);
      await rm(join(o.dataRoot, 'raft'), { recursive: true, force: true });
      await rm(join(o.dataRoot, 'certificates'), { recursive: true, force: true });
      throw err;
    }
  }

  /** `swarm join --token <manager token> <addr>`: certificate, then raft membership through the leader. */
  static async join(
    o: ManagerOptions & { readonly remoteAddr: string; readonly token: string },
  ): Promise<Manager> {
    const dir = new CertificateDir(join(o.dataRoot, 'certificates'));
    const joined = await joinSwarm({ addr: o.remoteAddr, token: o.token, dir });
    if (joined.identity.role !== 'manager')
      throw new FailedPreconditionError('this is a worker token; a manager joins with the manager token');
    const creds = new NodeTlsCredentials(
      { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
      joined.identity.clusterId,
    );
    const res = await raftJoin(o.remoteAddr, creds, o.addr);
    const m = await Manager.start(o, dir, {
      bootstrap: false,
      peers: res.members.map((x) => ({ id: x.raftId, addr: x.addr })),
    });
    await m.waitCaughtUp();
    return m;
  }

  /**
   * A worker promoted to manager: its certificate (already renewed with the manager role) is on disk;
   * it asks the leader, through `remoteAddr`, to add it to raft, then catches up.
   */
  static async promoted(o: ManagerOptions & { readonly remoteAddr: string }): Promise<Manager> {
    const dir = new CertificateDir(join(o.dataRoot, 'certificates'));
    const keys = await ManagerKeys.open(dir);
    const { certPem, rootPem } = await dir.readCertificates();
    const identity = identityOf(certPem);
    const creds = new NodeTlsCredentials({ rootPem, certPem, keyPem: keys.keyPem() }, identity.clusterId);
    const res = await raftJoin(o.remoteAddr, creds, o.addr);
    const m = await Manager.start(o, dir, {
      bootstrap: false,
      peers: res.members.map((x) => ({ id: x.raftId, addr: x.addr })),
    });
    await m.waitCaughtUp();
    return m;
  }

  /** Restarts a manager from its data root. */
  static async open(o: ManagerOptions): Promise<Manager> {
    return Manager.start(o, new CertificateDir(join(o.dataRoot, 'certificates')), { bootstrap: false });
  }

  private static async start(
    o: ManagerOptions,
    dir: CertificateDir,
    how: { bootstrap: boolean; peers?: Member[] },
  ): Promise<Manager> {
    const keys = await ManagerKeys.open(dir, o.unlockKey);
    const { certPem, rootPem } = await dir.readCertificates();
    const identity = identityOf(certPem);
    const creds = new NodeTlsCredentials({ rootPem, certPem, keyPem: keys.keyPem() }, identity.clusterId);
    const ref: { raft?: RaftNode; manager?: Manager } = {};
    const raftProposer = {
      propose: (d: Uint8Array): Promise<number> => {
        if (!ref.raft) return Promise.reject(new FailedPreconditionError('raft is not running'));
        return ref.raft.propose(d);
      },
    };
    const proposers = taggedProposers(raftProposer);
    const store = new MemoryStore(proposers.store);
    const ca = new CaStore(proposers.ca);
    const leaderAddr = (): string | null => {
      const l = ref.raft?.leader();
      return l && l.id !== identity.nodeId ? l.addr : null;
    };
    const caServer = new CaServer({
      store: ca,
      leadership: () => ({ isLeader: ref.raft?.isLeader() ?? false, leaderAddr: leaderAddr() }),
      ...(o.log ? { log: o.log } : {}),
    });
    const authz = authzInterceptor({
      clusterId: () => identity.clusterId,
      isRemoved: (id) => ca.isRemoved(id),
    });
    const api = grpcServices().shoal.api;
    const raft = await RaftNode.start({
      id: identity.nodeId,
      addr: o.addr,
      ...(o.listenAddr ? { listen: o.listenAddr } : {}),
      dataDir: join(o.dataRoot, 'raft'),
      key: keys.dataKey(),
      credentials: {
        client: creds.client(),
        server: creds.server([authz]),
        channelOptions: CLUSTER_CHANNEL_OPTIONS,
      },
      stateMachine: new ReplicatedState(store, ca),
      ...(o.tickMs ? { tickMs: o.tickMs } : {}),
      ...(o.electionTicks ? { electionTicks: o.electionTicks } : {}),
      ...(o.log ? { log: o.log } : {}),
      ...(how.bootstrap ? { bootstrap: [{ id: identity.nodeId, addr: o.addr }] } : {}),
      ...(o.forceNewCluster ? { forceNewCluster: true } : {}),
      ...(how.peers ? { peers: how.peers } : {}),
      services: (server) => {
        caServer.register(server);
        server.addService(
          api.RaftMembership.service,
          membershipHandlers(() => ref.raft, leaderAddr),
        );
        for (const name of ROUTED_SERVICES) {
          server.addService(
            api[name].service,
            routed(api[name].service, name, () => ref.manager?.leaderSet?.services[name], leaderAddr),
          );
        }
        server.addService(
          api.Logs.service,
          routed(api.Logs.service, 'logs', () => ref.manager?.everywhere?.['Logs'], leaderAddr),
        );
        server.addService(
          api.Control.service,
          routed(
            api.Control.service,
            'the control API',
            () => ref.manager?.everywhere?.Control ?? ref.manager?.leaderSet?.services.Control,
            leaderAddr,
          ),
        );
      },
    });
    ref.raft = raft;
    if (o.onFatal) raft.on('fatal', o.onFatal);
    const m = new Manager(o, store, ca, raft, creds, identity, keys);
    ref.manager = m;
    const control = o.control?.(m);
    m.everywhere = control?.services;
    m.control = control?.api;
    return m;
  }

  private everywhere: Readonly<Record<string, grpc.UntypedServiceImplementation>> | undefined;
  /** This manager's control API (in-process; forwards to the leader when following). */
  control: ControlService | undefined;

  /** Resolves once a leader is known (or rejects after `timeoutMs`). */
  async waitForLeader(timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.raft.leader()) {
      if (Date.now() > end) throw new FailedPreconditionError('no raft leader was elected in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves once a leader is known and this manager holds the CA state (a new member has caught up). */
  async waitCaughtUp(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.raft.leader() || !this.ca.initialised) {
      if (Date.now() > end)
        throw new FailedPreconditionError('this manager did not catch up with the swarm in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- leadership ----

  private onLeaderChange(): void {
    this.transitions = this.transitions.then(async () => {
      if (this.stopped) return;
      const leading = this.raft.isLeader();
      if (leading && !this.leaderSet && this.o.leader) {
        const set = this.o.leader(this);
        for (const c of set.components) c.start();
        this.leaderSet = set;
        this.log.info('leading: control loops started');
      } else if (!leading && this.leaderSet) {
        const set = this.leaderSet;
        this.leaderSet = undefined;
        await Promise.all(set.components.map((c) => c.stop().catch(() => undefined)));
        this.log.info('no longer leading: control loops stopped');
      }
    });
  }

  /** The leader loops are running here. */
  get leading(): boolean {
    return this.leaderSet !== undefined;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.rotation.stop();
    await this.transitions;
    const set = this.leaderSet;
    this.leaderSet = undefined;
    if (set) await Promise.all(set.components.map((c) => c.stop().catch(() => undefined)));
    await this.raft.stop();
  }
}

// ---- RaftMembership: a manager joining raft through the leader ----

/** UNAVAILABLE naming the leader in `shoal-leader-addr`, which raftCall follows. */
function notLeader(addr: string | null): grpc.ServiceError {
  const md = new grpc.Metadata();
  if (addr) md.set(LEADER_ADDR_HEADER, addr);
  const details = `not the leader${addr ? `; the leader is at ${addr}` : ''}`;
  return Object.assign(new Error(details), { code: grpc.status.UNAVAILABLE, details, metadata: md });
}

function membershipHandlers(
  raft: () => RaftNode | undefined,
  leaderAddr: () => string | null,
): grpc.UntypedServiceImplementation {
  return {
    Join: (
      call: grpc.ServerUnaryCall<{ addr: string }, JoinResponse>,
      cb: grpc.sendUnaryData<JoinResponse>,
    ) => {
      void (async () => {
        const r = raft();
        const caller = peerIdentity(call.getAuthContext());
        if (!r || !caller) throw new FailedPreconditionError('raft join needs a manager certificate');
        if (!r.isLeader()) {
          cb(notLeader(leaderAddr()));
          return;
        }
        const addr = call.request.addr;
        if (!addr) throw new FailedPreconditionError('raft join: the joining manager gave no address');
        const known = r.status().members.some((m) => m.id === caller.nodeId);
        if (!known) {
          await r.addMember({ id: caller.nodeId, addr });
          await r.promote(caller.nodeId);
        }
        const members = r.status().members.map((m) => ({ raftId: m.id, addr: m.addr }));
        const self = r.leader();
        if (self && !members.some((m) => m.raftId === self.id))
          members.push({ raftId: self.id, addr: self.addr });
        cb(null, { raftId: caller.nodeId, members, removedMembers: [] });
      })().catch((err: unknown) => {
        const p = toGrpcError(err);
        cb(Object.assign(new Error(p.details), p));
      });
    },
    Leave: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      void (async () => {
        const r = raft();
        const caller = peerIdentity(call.getAuthContext());
        if (!r || !caller) throw new FailedPreconditionError('raft leave needs a manager certificate');
        if (!r.isLeader()) {
          cb(notLeader(leaderAddr()));
          return;
        }
        if (caller.nodeId === r.leader()?.id)
          throw new FailedPreconditionError('the leader cannot remove itself; transfer leadership first');
        if (r.status().members.some((m) => m.id === caller.nodeId)) {
          if (!r.canRemoveMember(caller.nodeId))
            throw new FailedPreconditionError(
              'raft: removing this manager would lose quorum; bring the unreachable managers back first',
            );
          await r.removeMember(caller.nodeId);
        }
        cb(null, {});
      })().catch((err: unknown) => {
        const p = toGrpcError(err);
        cb(Object.assign(new Error(p.details), p));
      });
    },
  };
}

/** Asks the leader (following a redirect) to remove this manager from raft. */
async function raftLeave(addr: string, creds: NodeTlsCredentials): Promise<void> {
  await callLeader(addr, creds, 'leave', (client, deadline, cb) => client.Leave({}, { deadline }, cb));
}

/** Asks the leader (following a redirect) to add this manager to raft. */
async function raftJoin(
  addr: string,
  creds: NodeTlsCredentials,
  selfAddr: string,
): Promise<JoinResponse__Output> {
  const res = await callLeader<JoinResponse__Output | undefined>(
    addr,
    creds,
    'join',
    (client, deadline, cb) => client.Join({ addr: selfAddr }, { deadline }, cb),
  );
  if (!res) throw new Error('raft join: empty response');
  return res;
}

type MembershipClient = InstanceType<ReturnType<typeof grpcServices>['shoal']['api']['RaftMembership']>;

/**
 * One RaftMembership call on the leader: sent to `addr`, and again to the leader a follower names in its
 * UNAVAILABLE answer (at most three hops), 15 s each.
 */
async function callLeader<T>(
  addr: string,
  creds: NodeTlsCredentials,
  what: string,
  call: (
    client: MembershipClient,
    deadline: number,
    cb: (err: grpc.ServiceError | null, res?: T) => void,
  ) => void,
): Promise<T> {
  let target = addr;
  for (let hop = 0; hop < 3; hop++) {
    const client = new (grpcServices().shoal.api.RaftMembership)(
      target,
      creds.client(),
      CLUSTER_CHANNEL_OPTIONS,
    );
    try {
      return await new Promise<T>((resolve, reject) => {
        call(client, Date.now() + 15_000, (err, res) => {
          if (!err) return resolve(res as T);
          const leader = err.metadata?.get(LEADER_ADDR_HEADER)[0];
          if (err.code === grpc.status.UNAVAILABLE && typeof leader === 'string')
            return reject(Object.assign(err, { leaderAddr: leader }));
          reject(err);
        });
      });
    } catch (err) {
      const next = (err as { leaderAddr?: string }).leaderAddr;
      if (!next || next === target) throw err;
      target = next;
    } finally {
      client.close();
    }
  }
  throw new FailedPreconditionError(`raft ${what}: too many redirects`);
}
