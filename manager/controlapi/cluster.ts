/**
 * The cluster object (`GET /swarm`): created once at `swarm init`, changed by `swarm update` (the whole
 * spec is replaced) and by token, unlock-key and certificate-expiry changes, which go to the CA first.
 * The object mirrors the CA's join tokens for display; the CA's copy is the one that admits nodes.
 */
import { rootTlsInfo } from '../../ca/tlsinfo.ts';
import { checkCertExpiry, rotateJoinToken, setCertExpiry, startRootRotation } from '../../ca/admin.ts';
import { generateUnlockKey } from '../../ca/tokens.ts';
import type {
  ClusterSpec as ClusterSpecInput,
  ClusterSpec__Output as ClusterSpec,
} from '../../proto/gen/shoal/api/ClusterSpec.ts';
import type { UpdateClusterRequest } from '../../proto/gen/shoal/api/UpdateClusterRequest.ts';
import { FailedPreconditionError, InvalidArgumentError } from '../../proto/shared/errors.ts';
import { blank, type MemoryStore } from '../store/memory.ts';
import type { Cluster } from '../store/types.ts';
import { copy, type Ctx } from './context.ts';
import { defaultClusterSpec, normalize } from './defaults.ts';
import { resolve } from './lookup.ts';
import { checkVersion } from './services.ts';
import { checkSpecSize } from './validate.ts';

const NS_PER_MS = 1_000_000;

export interface InitClusterOptions {
  readonly clusterId: string;
  /** Always 'default' in Swarm. */
  readonly name?: string;
  /** `swarm init`'s spec: its non-zero fields go over Swarm's defaults. */
  readonly spec?: ClusterSpecInput;
  readonly joinTokens?: { readonly worker: string; readonly manager: string };
  readonly rootCaPem?: string;
  readonly defaultAddrPool?: readonly string[];
  readonly subnetSize?: number;
  readonly dataPathPort?: number;
}

/** Creates the cluster object at `swarm init`. Returns it as stored. */
export async function initCluster(store: MemoryStore, o: InitClusterOptions): Promise<Cluster> {
  const c = blank('cluster');
  c.id = o.clusterId;
  c.spec = defaultClusterSpec({ ...o.spec, name: o.name ?? 'default' });
  if (o.joinTokens) c.joinTokens = { worker: o.joinTokens.worker, manager: o.joinTokens.manager };
  if (o.rootCaPem)
    c.tlsInfo = {
      trustRoot: o.rootCaPem,
      certIssuerSubject: Buffer.alloc(0),
      certIssuerPublicKey: Buffer.alloc(0),
    };
  c.defaultAddrPool = [...(o.defaultAddrPool ?? ['10.0.0.0/8'])];
  c.subnetSize = o.subnetSize ?? 24;
  c.dataPathPort = o.dataPathPort ?? 4789;
  await store.update((tx) => tx.create('cluster', c));
  return copy(store.get('cluster', c.id) as Cluster);
}

/** The cluster as shown: join tokens, root and rotation state as the CA has them now; no network keys. */
export function shown(ctx: Ctx, c: Cluster): Cluster {
  const out = copy(c);
  // The overlay encryption keys (and their bookkeeping) go to agents only, never to API clients.
  out.networkBootstrapKeys = [];
  out.encryptionKeyLamportClock = 0;
  out.keysRotatedAt = null;
  const ca = ctx.ca;
  if (ca?.initialised) {
    const s = ca.state;
    out.joinTokens = { worker: s.joinTokens.worker, manager: s.joinTokens.manager };
    out.rootRotationInProgress = s.rotation !== null;
    out.tlsInfo = { ...rootTlsInfo(s.rootCertPem) };
  }
  return out;
}

/**
 * The checks of a cluster spec that `swarm init` and `swarm update` share: non-negative history and
 * heartbeat, a certificate expiry the CA accepts (only when it changes from `cur`), and the size bound.
 */
export function checkClusterSpec(spec: ClusterSpec, cur: ClusterSpec | null): void {
  checkSpecSize('ClusterSpec', spec);
  const limit = spec.orchestration?.taskHistoryRetentionLimit ?? 0;
  if (limit < 0)
    throw new InvalidArgumentError(
      `Spec.Orchestration.TaskHistoryRetentionLimit: must not be negative (got ${limit})`,
      'Spec.Orchestration.TaskHistoryRetentionLimit',
    );
  const hb = spec.dispatcher?.heartbeatPeriod ?? 0;
  if (hb < 0)
    throw new InvalidArgumentError(
      `Spec.Dispatcher.HeartbeatPeriod: heartbeat period must not be negative (got ${hb})`,
      'Spec.Dispatcher.HeartbeatPeriod',
    );
  const election = spec.raft?.electionTick ?? 0;
  const heartbeat = spec.raft?.heartbeatTick ?? 0;
  if (election !== 0 && heartbeat !== 0 && election <= heartbeat)
    throw new InvalidArgumentError(
      `Spec.Raft.ElectionTick: must be greater than Spec.Raft.HeartbeatTick (got ${election} <= ${heartbeat})`,
      'Spec.Raft.ElectionTick',
    );
  const expiry = spec.caConfig?.nodeCertExpiry ?? 0;
  if (expiry !== 0 && expiry !== cur?.caConfig?.nodeCertExpiry) {
    try {
      checkCertExpiry(expiry / NS_PER_MS);
    } catch (err) {
      throw new InvalidArgumentError(
        `Spec.CAConfig.NodeCertExpiry: ${err instanceof Error ? err.message : String(err)}`,
        'Spec.CAConfig.NodeCertExpiry',
      );
    }
  }
}

/**
 * `swarm update`: replaces the spec (zero durations keep the current value, as Docker's merge of an
 * unset field would), then applies what the CA must know: certificate expiry, join token rotations,
 * autolock and its unlock key, and a root rotation when `CAConfig.ForceRotate` went up (`swarm ca
 * --rotate`; the leader's RootRotationController finishes it).
 */
export async function updateCluster(ctx: Ctx, req: UpdateClusterRequest): Promise<Cluster> {
  const cur = resolve(ctx.store, 'cluster', req.clusterId ?? '');
  const index = checkVersion('cluster', req.clusterVersion, cur.version?.index ?? 0);
  if (!req.spec) throw new InvalidArgumentError('Spec: a cluster spec must be provided', 'Spec');
  const spec = normalize<ClusterSpec>('ClusterSpec', req.spec);
  checkClusterSpec(spec, cur.spec);
  const old = cur.spec;
  spec.name ||= old?.name ?? 'default';
  if (spec.dispatcher && spec.dispatcher.heartbeatPeriod === 0 && old?.dispatcher)
    spec.dispatcher.heartbeatPeriod = old.dispatcher.heartbeatPeriod;
  if (spec.caConfig && spec.caConfig.nodeCertExpiry === 0 && old?.caConfig)
    spec.caConfig.nodeCertExpiry = old.caConfig.nodeCertExpiry;
  spec.caConfig ??= old?.caConfig ?? null;
  spec.dispatcher ??= old?.dispatcher ?? null;
  const rotations = { worker: req.rotateWorkerToken ?? false, manager: req.rotateManagerToken ?? false };
  const autolock = spec.encryptionConfig?.autoLockManagers ?? false;
  const wasAutolock = old?.encryptionConfig?.autoLockManagers ?? false;
  const rotateRoot = Number(spec.caConfig?.forceRotate ?? 0) > Number(old?.caConfig?.forceRotate ?? 0);
  const needsCa =
    rotations.worker ||
    rotations.manager ||
    req.rotateManagerUnlockKey ||
    autolock !== wasAutolock ||
    rotateRoot;
  const ca = ctx.ca;
  if (needsCa && !ca?.initialised)
    throw new FailedPreconditionError(
      'the swarm CA is not available on this manager: cannot rotate tokens or keys',
    );
  if (ca?.initialised) {
    const expiryMs = (spec.caConfig?.nodeCertExpiry ?? 0) / NS_PER_MS;
    if (expiryMs > 0 && expiryMs !== ca.state.nodeCertExpiryMs) await setCertExpiry(ca, expiryMs);
    if (rotations.worker) await rotateJoinToken(ca, 'worker');
    if (rotations.manager) await rotateJoinToken(ca, 'manager');
    if (autolock && (!wasAutolock || req.rotateManagerUnlockKey || !ca.state.unlockKey))
      await ca.propose({ op: 'setUnlockKey', unlockKey: generateUnlockKey() });
    if (!autolock && wasAutolock) await ca.propose({ op: 'setUnlockKey', unlockKey: null });
    if (rotateRoot) await startRootRotation(ca);
  }
  await ctx.store.update((tx) => {
    const c = copy(cur);
    c.version = { index };
    c.spec = spec;
    if (ca?.initialised) c.joinTokens = { ...ca.state.joinTokens };
    tx.update('cluster', c);
  });
  ctx.log.info({ clusterId: cur.id, rotations, autolock }, 'cluster updated');
  return shown(ctx, ctx.store.get('cluster', cur.id) as Cluster);
}
