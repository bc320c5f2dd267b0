/**
 * A swarm's security layer, assembled as shoald assembles it, for cluster tests and the CA benchmark:
 * managers run raft (real LevelDB, real gRPC) with the CA and NodeCA services on the same mutual-TLS
 * port, every RPC checked by the authz interceptor; workers join with a token and keep a certificate
 * agent running. Each node has its own data root under one temp folder, removed by `destroy()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueFromState, newCaState, RootRotationController } from '../ca/admin.ts';
import { authzInterceptor } from '../ca/authz.ts';
import { joinSwarm, NodeCertificateAgent } from '../ca/client.ts';
import { ManagerKeys } from '../ca/dek.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { createCsr, generateKeyPair, identityOf, privateKeyPem, type NodeIdentity } from '../ca/pki.ts';
import { CaServer } from '../ca/server.ts';
import { CaStore } from '../ca/store.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import { newId } from '../proto/shared/ids.ts';
import { RaftNode, type Member } from '../raft/node/index.ts';
import { eventually, freePort } from './harness.ts';

export interface SecureNode {
  readonly name: string;
  readonly dir: CertificateDir;
  readonly creds: NodeTlsCredentials;
  readonly agent: NodeCertificateAgent;
  readonly identity: () => NodeIdentity;
}

export interface SecureManager extends SecureNode {
  readonly member: Member;
  readonly raft: RaftNode;
  readonly store: CaStore;
  readonly rotation: RootRotationController;
}

export interface KitOptions {
  readonly tickMs?: number;
  /** How often certificate agents poll for RENEW/ROTATE and new roots. */
  readonly pollMs?: number;
  readonly rotationBatch?: number;
}

export class SecureCluster {
  readonly root = mkdtempSync(join(tmpdir(), 'shoal-secure-'));
  readonly managers: SecureManager[] = [];
  readonly workers: SecureNode[] = [];
  private counter = 0;

  constructor(private readonly o: KitOptions = {}) {}

  leader(): SecureManager | undefined {
    return this.managers.find((m) => m.raft.isLeader());
  }

  async waitLeader(): Promise<SecureManager> {
    await eventually(
      () => this.leader() !== undefined,
      'a raft leader',
      () => this.describe(),
    );
    return this.leader() as SecureManager;
  }

  addrs(): string[] {
    return this.managers.map((m) => m.member.addr);
  }

  describe(): string {
    return this.managers
      .map((m) => `${m.name} ${m.member.id}: ${m.raft.status().role} term=${m.raft.status().term}`)
      .join('\n');
  }

  /** `swarm init`: a new CA, this manager's own certificate, raft with one member. */
  async init(): Promise<SecureManager> {
    const name = `m${this.counter++}`;
    const dir = new CertificateDir(join(this.root, name, 'certificates'));
    const keys = await generateKeyPair();
    const keyPem = await privateKeyPem(keys.privateKey);
    const nodeId = newId<'node'>();
    const state = await newCaState({ clusterId: newId<'cluster'>() });
    const { certPem, record } = await issueFromState(state, await createCsr(keys), nodeId, 'manager');
    await dir.write(state.rootCertPem, certPem, { keyPem, dek: null, pendingDek: null }, null);
    const m = await this.startManager(name, dir, { bootstrap: true });
    await this.waitLeader();
    await m.store.propose({ op: 'init', state });
    await m.store.propose(record);
    return m;
  }

  /** `swarm join --token T` as a manager: certificate from the CA, then raft learner → voter. */
  async joinManager(token: string, via = this.managers[0]): Promise<SecureManager> {
    if (!via) throw new Error('no manager to join through');
    const name = `m${this.counter++}`;
    const dir = new CertificateDir(join(this.root, name, 'certificates'));
    await joinSwarm({ addr: via.member.addr, token, dir });
    const m = await this.startManager(name, dir, { bootstrap: false });
    const leader = await this.waitLeader();
    await leader.raft.addMember(m.member);
    await leader.raft.promote(m.member.id);
    await eventually(
      () => m.store.initialised,
      `${name} to catch up with the CA state`,
      () => this.describe(),
    );
    return m;
  }

  /** `swarm join --token T` as a worker: certificate from the CA and an agent keeping it current. */
  async joinWorker(token: string, via = this.managers[0]): Promise<SecureNode> {
    if (!via) throw new Error('no manager to join through');
    const name = `w${this.counter++}`;
    const dir = new CertificateDir(join(this.root, name, 'certificates'));
    const joined = await joinSwarm({ addr: via.member.addr, token, dir });
    const creds = new NodeTlsCredentials(
      { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
      joined.identity.clusterId,
    );
    const agent = this.agentFor(creds, dir);
    agent.start();
    const w: SecureNode = { name, dir, creds, agent, identity: () => identityOf(creds.current.certPem) };
    this.workers.push(w);
    return w;
  }

  private agentFor(creds: NodeTlsCredentials, dir: CertificateDir): NodeCertificateAgent {
    return new NodeCertificateAgent({
      creds,
      dir,
      managers: () => this.addrs(),
      pollMs: this.o.pollMs ?? 100,
      timeoutMs: 5_000,
    });
  }

  private async startManager(
    name: string,
    dir: CertificateDir,
    o: { bootstrap: boolean },
  ): Promise<SecureManager> {
    const keys = await ManagerKeys.open(dir);
    const files = await dir.read(null);
    const identity = identityOf(files.certPem);
    const creds = new NodeTlsCredentials(
      { rootPem: files.rootPem, certPem: files.certPem, keyPem: files.key.keyPem },
      identity.clusterId,
    );
    const member: Member = { id: identity.nodeId, addr: `127.0.0.1:${await freePort()}` };
    const ref: { raft?: RaftNode } = {};
    const store = new CaStore({
      propose: (data) => {
        if (!ref.raft) throw new Error('raft is not running');
        return ref.raft.propose(data);
      },
    });
    const server = new CaServer({
      store,
      leadership: () => ({
        isLeader: ref.raft?.isLeader() ?? false,
        leaderAddr: ref.raft?.leader()?.addr ?? null,
      }),
    });
    const authz = authzInterceptor({
      clusterId: () => identity.clusterId,
      isRemoved: (id) => store.isRemoved(id),
    });
    const raft = await RaftNode.start({
      id: member.id,
      addr: member.addr,
      dataDir: join(dir.dir, '..', 'raft'),
      key: keys.dataKey(),
      credentials: {
        client: creds.client(),
        server: creds.server([authz]),
        channelOptions: CLUSTER_CHANNEL_OPTIONS,
      },
      stateMachine: store,
      services: (s) => server.register(s),
      tickMs: this.o.tickMs ?? 50,
      peers: this.managers.map((x) => x.member),
      ...(o.bootstrap ? { bootstrap: [member] } : {}),
    });
    ref.raft = raft;
    const rotation = new RootRotationController({
      store,
      isLeader: () => raft.isLeader(),
      batchSize: this.o.rotationBatch ?? 2,
      intervalMs: 200,
    });
    rotation.start();
    const agent = this.agentFor(creds, dir);
    agent.start();
    const m: SecureManager = {
      name,
      dir,
      creds,
      agent,
      member,
      raft,
      store,
      rotation,
      identity: () => identityOf(creds.current.certPem),
    };
    this.managers.push(m);
    return m;
  }

  async destroy(): Promise<void> {
    for (const n of [...this.workers, ...this.managers]) await n.agent.stop();
    for (const m of this.managers) m.rotation.stop();
    await Promise.all(this.managers.map((m) => m.raft.stop().catch(() => undefined)));
    rmSync(this.root, { recursive: true, force: true });
  }
}
