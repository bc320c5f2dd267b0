/** `/nodes`: list (filters), inspect by ID, prefix or name, update (`?version=`), remove (`?force=`). */
import type { FastifyPluginAsync } from 'fastify';
import { fromDockerAs, toDockerAs } from '../../proto/docker/kinds.ts';
import type { DaemonBackend } from '../backend.ts';
import {
  controlOf,
  flag,
  idParam,
  json,
  listFilters,
  objectBody,
  parseFilters,
  present,
  versionParam,
  type Query,
} from './common.ts';

/** The node routes. */
export function nodesPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.get('/nodes', async (req, reply) => {
      const filters = listFilters(parseFilters(req.query as Query));
      const { nodes } = await controlOf(backend).listNodes({ filters });
      return json(
        reply,
        200,
        nodes.map((n) => toDockerAs('Node', n)),
      );
    });

    app.get('/nodes/:id', async (req, reply) => {
      const id = idParam(req.params);
      const { node } = await controlOf(backend).getNode({ nodeId: id });
      return json(reply, 200, toDockerAs('Node', present(node, `node ${id}`)));
    });

    app.post('/nodes/:id/update', async (req, reply) => {
      const version = versionParam(req.query as Query);
      const spec = fromDockerAs('NodeSpec', objectBody(req.body, 'node update'));
      await controlOf(backend).updateNode({ nodeId: idParam(req.params), nodeVersion: version, spec });
      return json(reply, 200, undefined);
    });

    app.delete('/nodes/:id', async (req, reply) => {
      const force = flag(req.query as Query, 'force');
      await controlOf(backend).removeNode({ nodeId: idParam(req.params), force });
      return json(reply, 200, undefined);
    });
    return Promise.resolve();
  };
}
