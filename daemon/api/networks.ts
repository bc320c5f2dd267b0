/**
 * `/networks`: Docker's own shapes (NetworkCreateRequest in, NetworkResource out) over the swarm's
 * networks. Only swarm-scoped networks exist here: a node that is not a manager lists none.
 */
import type { FastifyPluginAsync } from 'fastify';
import { fromDockerAs, toDockerAs } from '../../proto/docker/kinds.ts';
import { networkResourceOf, networkSpecFromCreateRequest } from '../../proto/docker/network.ts';
import type { Network__Output } from '../../proto/gen/shoal/api/Network.ts';
import type { DockerObject } from '../../proto/docker/convert.ts';
import type { DaemonBackend } from '../backend.ts';
import {
  controlOf,
  idParam,
  json,
  listFilters,
  objectBody,
  parseFilters,
  present,
  type Query,
} from './common.ts';

/** A swarm network as `GET /networks/{id}` shows it. */
export function networkJson(n: Network__Output): DockerObject {
  const out = toDockerAs('NetworkResource', networkResourceOf(n));
  // Docker always writes these, even empty; scripts index into them.
  out['Containers'] ??= {};
  out['Options'] ??= {};
  out['Labels'] ??= {};
  // Docker's NetworkResource has no omitempty on these: false and an empty ConfigFrom are written.
  for (const k of ['EnableIPv6', 'Internal', 'Attachable', 'Ingress', 'ConfigOnly']) out[k] ??= false;
  out['ConfigFrom'] ??= { Network: '' };
  // A swarm network's IPAM options are null when none were given (a nil Go map), as Docker shows.
  const ipam = out['IPAM'] as DockerObject | undefined;
  const options = ipam?.['Options'];
  if (
    ipam &&
    (options === undefined ||
      (typeof options === 'object' && options !== null && Object.keys(options).length === 0))
  )
    ipam['Options'] = null;
  return out;
}

/** The network routes. */
export function networksPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.post('/networks/create', async (req, reply) => {
      const r = fromDockerAs('NetworkCreateRequest', objectBody(req.body, 'network create'));
      const { network } = await controlOf(backend).createNetwork({ spec: networkSpecFromCreateRequest(r) });
      return json(reply, 201, { Id: present(network, 'network').id, Warning: '' });
    });

    app.get('/networks', async (req, reply) => {
      const filters = listFilters(parseFilters(req.query as Query));
      if (!backend.control()) return json(reply, 200, []);
      const { networks } = await controlOf(backend).listNetworks({ filters });
      return json(reply, 200, networks.map(networkJson));
    });

    // `?scope=swarm` and `?verbose=` are accepted: every network here is swarm-scoped.
    app.get('/networks/:id', async (req, reply) => {
      const id = idParam(req.params);
      const { network } = await controlOf(backend).getNetwork({ networkId: id });
      return json(reply, 200, networkJson(present(network, `network ${id}`)));
    });

    app.delete('/networks/:id', async (req, reply) => {
      await controlOf(backend).removeNetwork({ networkId: idParam(req.params) });
      return reply.code(204).send();
    });
    return Promise.resolve();
  };
}
