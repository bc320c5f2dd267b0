/**
 * `/swarm`: init, join, leave, inspect, update (spec replace, token and unlock-key rotation),
 * unlock key and unlock (docker-api.md, "Swarm").
 */
import type { FastifyPluginAsync } from 'fastify';
import { fromDockerAs, toDockerAs } from '../../proto/docker/kinds.ts';
import type { ClusterSpec__Output } from '../../proto/gen/shoal/api/ClusterSpec.ts';
import { InvalidArgumentError, UnavailableError } from '../../proto/shared/errors.ts';
import type { DaemonBackend } from '../backend.ts';
import { controlOf, flag, json, objectBody, versionParam, type Query } from './common.ts';

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
      const r = fromDockerAs('SwarmInitRequest', objectBody(req.body, 'swarm init'));
      const spec = initSpec(backend.defaultClusterSpec(), r.spec, r.autoLockManagers);
      return json(reply, 200, await backend.init({ ...r, spec }));
    });

    app.post('/swarm/join', async (req, reply) => {
      const r = fromDockerAs('SwarmJoinRequest', objectBody(req.body, 'swarm join'));
      if (r.remoteAddrs.length === 0)
        throw new InvalidArgumentError(
          'RemoteAddrs: at least 1 RemoteAddr is required to join',
          'RemoteAddrs',
        );
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
