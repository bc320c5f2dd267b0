/**
 * What the control API does to the CA: create it at `swarm init`, rotate join tokens, set the
 * certificate expiry, change a node's role, remove a node, rotate the root. Each checks its input
 * first and changes nothing when it is bad; each change is one replicated command.
 *
 * Root rotation (`swarm ca --rotate`) runs in three steps, driven on the leader by
 * {@link RootRotationController}:
 *   1. a new root and its certificate cross-signed by the old key; leaves are signed by the new key and
 *      carry the cross-signed certificate, so holders of either root accept them; nodes trust both;
 *   2. nodes are told to renew (ROTATE) in batches, and each batch waits until its nodes hold new
 *      certificates;
 *   3. once every node's certificate comes from the new root, the new root becomes the only root and
 *      both join tokens are regenerated (their digest changes).
 */
import type { Logger } from '../proto/shared/log.ts';
import { silentLogger } from '../proto/shared/log.ts';
import { CaSettingError, NoSigningKeyError } from './errors.ts';
import { CA_DEFAULTS, identityOf, RootCA, type NodeRole } from './pki.ts';
import type { CaCommand, CaState } from './state.ts';
import { nodesNotRotated } from './state.ts';
import type { CaStore } from './store.ts';
import { generateJoinToken, rootCaDigest } from './tokens.ts';

export interface InitCaOptions {
  readonly clusterId: string;
  /** Node certificate life; at least 1 h (default 90 days). */
  readonly nodeCertExpiryMs?: number;
  /** An external root (PEM). Without `externalKeyPem` the key stays outside the swarm. */
  readonly externalRootPem?: string;
  readonly externalKeyPem?: string;
}

/** The CA state of a new swarm: a new root (or the given external one) and fresh join tokens. */
export async function newCaState(o: InitCaOptions): Promise<CaState> {
  const expiry = o.nodeCertExpiryMs ?? CA_DEFAULTS.nodeCertExpiryMs;
  checkCertExpiry(expiry);
  let rootCertPem: string;
  let rootKeyPem: string | null;
  if (o.externalRootPem !== undefined) {
    const ca = await RootCA.fromPem(o.externalRootPem, o.externalKeyPem);
    rootCertPem = ca.certPem;
    rootKeyPem = o.externalKeyPem ?? null;
  } else {
    const { ca, keyPem } = await RootCA.create();
    rootCertPem = ca.certPem;
    rootKeyPem = keyPem;
  }
  return {
    clusterId: o.clusterId,
    rootCertPem,
    rootKeyPem,
    rotation: null,
    joinTokens: { worker: generateJoinToken(rootCertPem), manager: generateJoinToken(rootCertPem) },
    nodeCertExpiryMs: expiry,
    nodes: {},
    removed: [],
    unlockKey: null,
  };
}

export function checkCertExpiry(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < CA_DEFAULTS.minNodeCertExpiryMs)
    throw new CaSettingError(`invalid certificate expiry: ${formatDuration(ms)}; the minimum is 1h0m0s`);
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

/** `swarm join-token --rotate ROLE`: a new secret; the digest stays. Returns the new token. */
export async function rotateJoinToken(store: CaStore, role: NodeRole): Promise<string> {
  const token = generateJoinToken(store.state.rootCertPem);
  await store.propose({ op: 'setJoinToken', role, token });
  return token;
}

/** `swarm update --cert-expiry`: applies to certificates issued from now on. */
export async function setCertExpiry(store: CaStore, ms: number): Promise<void> {
  checkCertExpiry(ms);
  await store.propose({ op: 'setCertExpiry', ms });
}

/** Promote or demote: the node's next renewal (it is told RENEW) gets a certificate with `role`. */
export async function setNodeRole(store: CaStore, nodeId: string, role: NodeRole): Promise<void> {
  await store.propose({ op: 'setRole', nodeId, role });
}

/** `node rm`: the node's certificate is refused from now on, on every RPC. */
export async function removeNode(store: CaStore, nodeId: string): Promise<void> {
  await store.propose({ op: 'removeNode', nodeId });
}

/** `swarm ca --rotate`: starts a root rotation (the controller on the leader finishes it). */
export async function startRootRotation(store: CaStore): Promise<void> {
  const s = store.state;
  if (s.rotation) throw new CaSettingError('a root CA rotation is already in progress');
  if (!s.rootKeyPem) throw new NoSigningKeyError('cannot rotate an external root CA without its key');
  const current = await RootCA.fromPem(s.rootCertPem, s.rootKeyPem);
  const { next, nextKeyPem, crossPem } = await current.rotate();
  await store.propose({
    op: 'startRootRotation',
    rotation: {
      nextCertPem: next.certPem,
      nextKeyPem,
      crossPem,
      nextDigest: rootCaDigest(next.certPem),
    },
  });
}

export interface RootRotationControllerOptions {
  readonly store: CaStore;
  /** Only the leader drives the rotation. */
  readonly isLeader: () => boolean;
  /** How many nodes renew at once (default 10). */
  readonly batchSize?: number;
  /** How often to look at progress besides store changes (default 1 s). */
  readonly intervalMs?: number;
  readonly log?: Logger;
}

/** Moves a root rotation forward on the leader: batches of ROTATE, then the switch to the new root. */
export class RootRotationController {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly log: Logger;
  private readonly onChange = (): void => void this.step();

  constructor(private readonly o: RootRotationControllerOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'ca-rotation' });
  }

  start(): void {
    this.o.store.on('change', this.onChange);
    this.timer = setInterval(this.onChange, this.o.intervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    this.o.store.off('change', this.onChange);
    clearInterval(this.timer);
  }

  /** One step; safe to call at any time. */
  async step(): Promise<void> {
    if (this.busy || !this.o.isLeader() || !this.o.store.initialised) return;
    const s = this.o.store.state;
    if (!s.rotation) return;
    this.busy = true;
    try {
      const pending = nodesNotRotated(s);
      if (pending.length === 0) {
        const root = s.rotation.nextCertPem;
        await this.o.store.propose({
          op: 'finishRootRotation',
          joinTokens: { worker: generateJoinToken(root), manager: generateJoinToken(root) },
        });
        this.log.info('root CA rotation finished; join tokens regenerated');
        return;
      }
      const inFlight = pending.filter((id) => s.nodes[id]?.rotate).length;
      const room = (this.o.batchSize ?? 10) - inFlight;
      if (room <= 0) return;
      const batch = pending.filter((id) => !s.nodes[id]?.rotate).slice(0, room);
      if (batch.length === 0) return;
      await this.o.store.propose({ op: 'markRotate', nodeIds: batch });
      this.log.info({ batch }, 'nodes told to renew for the root rotation');
    } catch (err) {
      this.log.warn({ err }, 'root rotation step failed; will retry');
    } finally {
      this.busy = false;
    }
  }
}

/**
 * Issues a certificate straight from the CA state, without a round trip: the first manager's own
 * certificate at `swarm init` (before raft runs). Returns the chain and the command recording it.
 */
export async function issueFromState(
  state: CaState,
  csrPem: string,
  nodeId: string,
  role: NodeRole,
): Promise<{ certPem: string; record: Extract<CaCommand, { op: 'issued' }> }> {
  const ca = await RootCA.fromPem(state.rootCertPem, state.rootKeyPem ?? undefined);
  const certPem = await ca.issue(
    csrPem,
    { nodeId, clusterId: state.clusterId, role },
    { expiryMs: state.nodeCertExpiryMs },
  );
  return {
    certPem,
    record: {
      op: 'issued',
      nodeId,
      role,
      certPem,
      serial: identityOf(certPem).serialNumber,
      issuer: rootCaDigest(state.rootCertPem),
    },
  };
}
