/**
 * `/swarm`: init, join, leave, inspect, update (spec replace, token and unlock-key rotation),
 * unlock key and unlock (docker-api.md, "Swarm").
 */
import type { FastifyPluginAsync } from 'fastify';
import { fromDockerAs, toDockerAs } from '../../proto/docker/kinds.ts';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ClusterSpec__Output } from '../../proto/gen/shoal/api/ClusterSpec.ts';
import type { SwarmInitRequest__Output } from '../../proto/gen/shoal/api/SwarmInitRequest.ts';
import type { SwarmJoinRequest__Output } from '../../proto/gen/shoal/api/SwarmJoinRequest.ts';
import { checkClusterSpec } from '../../manager/controlapi/cluster.ts';
import { InvalidArgumentError, UnavailableError } from '../../proto/shared/errors.ts';
import type { DaemonBackend } from '../backend.ts';
import { controlOf, flag, json, objectBody, versionParam, type Query } from './common.ts';

/** Docker's range for `--data-path-port`. */
const DATA_PATH_PORTS = [1024, 49151] as const;
/** The longest subnet prefix `--default-addr-pool-mask-length` may ask for (as swarmkit's allocator). */
const MAX_SUBNET_SIZE = 29;
/** A DNS name (RFC 1123 labels), for advertised and remote addresses. */
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function invalid(field: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field}: ${problem}`, field);
}

/**
 * Checks `host[:port]` (IPv6 in brackets) before any of it reaches a listener or a resolver: a
 * failed listen half-way through init would leave the node's raft log behind. `names`: whether a
 * DNS name may stand for the host (advertised and remote addresses; a listen address must be an IP).
 */
export function checkAddr(field: string, addr: string, names: boolean): void {
  if (addr === '') return;
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d{1,5}))?$/.exec(addr);
  const host = m?.[1] ?? m?.[2] ?? '';
  const v6 = m?.[1] !== undefined;
  const hostOk = m && (v6 ? isIP(host) === 6 : isIP(host) === 4 || (names && HOSTNAME.test(host)));
  if (!hostOk)
    throw invalid(
      field,
      `invalid address ${JSON.stringify(addr)}: want ${names ? 'an IP address, network interface or host name' : 'an IP address or network interface'} with an optional port (e.g. 192.168.1.10:2377)`,
    );
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535))
    throw invalid(field, `invalid port ${port} in ${JSON.stringify(addr)}: want 1 to 65535`);
}

/**
 * `eth0:2377` → `10.1.2.3:2377`: Docker takes a network interface's name wherever it takes a local
 * address (`--listen-addr`, `--advertise-addr`, `--data-path-addr`); the node itself wants an IP. An
 * interface without an IPv4 address, or any other name, is left as it is (for the checks to judge).
 */
export function withInterfaceIp(addr: string): string {
  const m = /^([A-Za-z][\w.-]*)(:\d+)?$/.exec(addr);
  if (!m?.[1]) return addr;
  const ip = networkInterfaces()[m[1]]?.find((a) => a.family === 'IPv4')?.address;
  return ip ? `${ip}${m[2] ?? ''}` : addr;
}

/** The request with interface names in its local addresses replaced by their IPv4 addresses. */
function resolveInterfaces<R extends { listenAddr: string; advertiseAddr: string; dataPathAddr: string }>(
  r: R,
): R {
  return {
    ...r,
    listenAddr: withInterfaceIp(r.listenAddr),
    advertiseAddr: withInterfaceIp(r.advertiseAddr),
    dataPathAddr: withInterfaceIp(r.dataPathAddr),
  };
}

/**
 * A listen address must be this host's (or a wildcard): Docker fails such an init at listen time; here
 * it is refused before the node creates anything.
 */
export function checkLocalListenAddr(field: string, addr: string): void {
  if (addr === '') return;
  const host = /^\[([^\]]*)\]/.exec(addr)?.[1] ?? addr.replace(/:\d+$/, '');
  if (host === '0.0.0.0' || host === '::') return;
  const local = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  if (!local.includes(host))
    throw invalid(
      field,
      `${host} is not an address of this host (want one of ${[...local, '0.0.0.0'].join(', ')})`,
    );
}

/** A listen address that is taken or not allowed: the caller's to fix (400 naming ListenAddr), not a 500. */
function listenFailure(err: unknown, listenAddr: string): unknown {
  const m = /\b(EADDRINUSE|EADDRNOTAVAIL|EACCES)\b[^\]]*/.exec(err instanceof Error ? err.message : '');
  if (!m) return err;
  return invalid(
    'ListenAddr',
    `cannot listen on ${JSON.stringify(listenAddr || 'the default address')}: ${m[0]}`,
  );
}

function isIpv4Cidr(s: string): boolean {
  const [ip = '', bits, ...rest] = s.split('/');
  return (
    rest.length === 0 && bits !== undefined && /^\d{1,2}$/.test(bits) && Number(bits) <= 32 && isIP(ip) === 4
  );
}

/** What `swarm init` is given, checked before the node starts anything. */
export function checkInitRequest(r: SwarmInitRequest__Output): void {
  checkAddr('ListenAddr', r.listenAddr, false);
  checkLocalListenAddr('ListenAddr', r.listenAddr);
  checkAddr('AdvertiseAddr', r.advertiseAddr, true);
  if (r.dataPathAddr !== '' && isIP(r.dataPathAddr) === 0)
    throw invalid('DataPathAddr', `invalid address ${JSON.stringify(r.dataPathAddr)}: want an IP address`);
  const [lo, hi] = DATA_PATH_PORTS;
  if (r.dataPathPort !== 0 && (r.dataPathPort < lo || r.dataPathPort > hi))
    throw invalid(
      'DataPathPort',
      `data path port must be within range ${lo} to ${hi} (got ${r.dataPathPort})`,
    );
  for (const pool of r.defaultAddrPool)
    if (!isIpv4Cidr(pool))
      throw invalid(
        'DefaultAddrPool',
        `invalid address pool ${JSON.stringify(pool)}: want an IPv4 CIDR such as 10.0.0.0/8`,
      );
  if (r.subnetSize !== 0) {
    const widest = Math.max(8, ...r.defaultAddrPool.map((p) => Number(p.split('/')[1])));
    if (r.subnetSize < widest || r.subnetSize > MAX_SUBNET_SIZE)
      throw invalid(
        'SubnetSize',
        `subnet size must be between ${widest} and ${MAX_SUBNET_SIZE} (got ${r.subnetSize})`,
      );
  }
}

/** What `swarm join` is given, checked before the node dials anything. */
export function checkJoinRequest(r: SwarmJoinRequest__Output): void {
  if (r.remoteAddrs.length === 0) throw invalid('RemoteAddrs', 'at least 1 RemoteAddr is required to join');
  r.remoteAddrs.forEach((a, i) => checkAddr(`RemoteAddrs[${i}]`, a, true));
  if (r.joinToken === '') throw invalid('JoinToken', 'a join token is required to join');
  checkAddr('ListenAddr', r.listenAddr, false);
  checkLocalListenAddr('ListenAddr', r.listenAddr);
  checkAddr('AdvertiseAddr', r.advertiseAddr, true);
  if (r.dataPathAddr !== '' && isIP(r.dataPathAddr) === 0)
    throw invalid('DataPathAddr', `invalid address ${JSON.stringify(r.dataPathAddr)}: want an IP address`);
}

function isZero(v: unknown): boolean {
  if (v === 0 || v === '' || v === false || v === null || v === undefined) return true;
  if (Array.isArray(v) || Buffer.isBuffer(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** `over`'s non-zero fields over `base`, recursively (Docker's init: given fields win, zero means unset). */
export function mergeNonZero<T>(base: T, over: unknown): T {
  if (!isPlainObject(over)) return isZero(over) ? base : (over as T);
  if (!isPlainObject(base)) return over as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (isZero(v)) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeNonZero(out[k], v) : v;
  }
  return out as T;
}

/** The spec `swarm init` starts with: the request's non-zero fields over the backend's defaults. */
export function initSpec(
  defaults: ClusterSpec__Output,
  given: ClusterSpec__Output | null,
  autoLock: boolean,
): ClusterSpec__Output {
  const spec = mergeNonZero(structuredClone(defaults), given ?? {});
  if (autoLock) spec.encryptionConfig = { ...spec.encryptionConfig, autoLockManagers: true };
  return spec;
}

async function currentCluster(backend: DaemonBackend) {
  const { clusters } = await controlOf(backend).listClusters({});
  const c = clusters[0];
  if (!c) throw new UnavailableError('the swarm has no cluster object yet: try again');
  return c;
}

/** The swarm routes. */
export function swarmPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.get('/swarm', async (_req, reply) =>
      json(reply, 200, toDockerAs('Cluster', await currentCluster(backend))),
    );

    app.post('/swarm/init', async (req, reply) => {
      const r = resolveInterfaces(fromDockerAs('SwarmInitRequest', objectBody(req.body, 'swarm init')));
      checkInitRequest(r);
      const spec = initSpec(backend.defaultClusterSpec(), r.spec, r.autoLockManagers);
      checkClusterSpec(spec, null);
      const id = await backend.init({ ...r, spec }).catch((err: unknown) => {
        throw listenFailure(err, r.listenAddr);
      });
      return json(reply, 200, id);
    });

    app.post('/swarm/join', async (req, reply) => {
      const r = resolveInterfaces(fromDockerAs('SwarmJoinRequest', objectBody(req.body, 'swarm join')));
      checkJoinRequest(r);
      await backend.join(r);
      return json(reply, 200, undefined);
    });

    app.post('/swarm/leave', async (req, reply) => {
      await backend.leave(flag(req.query as Query, 'force'));
      return json(reply, 200, undefined);
    });

    app.post('/swarm/update', async (req, reply) => {
      const q = req.query as Query;
      const version = versionParam(q);
      const spec = fromDockerAs('ClusterSpec', objectBody(req.body, 'swarm update'));
      const cluster = await currentCluster(backend);
      await controlOf(backend).updateCluster({
        clusterId: cluster.id,
        clusterVersion: version,
        spec,
        rotateWorkerToken: flag(q, 'rotateWorkerToken'),
        rotateManagerToken: flag(q, 'rotateManagerToken'),
        rotateManagerUnlockKey: flag(q, 'rotateManagerUnlockKey'),
      });
      return json(reply, 200, undefined);
    });

    app.get('/swarm/unlockkey', async (_req, reply) => {
      controlOf(backend);
      return json(reply, 200, { UnlockKey: await backend.unlockKey() });
    });

    app.post('/swarm/unlock', async (req, reply) => {
      const r = fromDockerAs('SwarmUnlockRequest', objectBody(req.body, 'swarm unlock'));
      await backend.unlock(r.unlockKey);
      return json(reply, 200, undefined);
    });
    return Promise.resolve();
  };
}
