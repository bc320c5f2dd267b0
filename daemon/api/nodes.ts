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

/**
 * A node as Docker's API shows it. The node's own network endpoints (`Attachments`, Swarm's
 * ingress-sbox and lb addresses) are internal to Swarm and absent from Docker's Node type.
 */
function nodeJson(n: Parameters<typeof toDockerAs<'Node'>>[1]): Record<string, unknown> {
  const out = toDockerAs('Node', n) as Record<string, unknown>;
  delete out['Attachments'];
  return out;
}

/** The node routes. */
export function nodesPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.get('/nodes', async (req, reply) => {
      const filters = listFilters(parseFilters(req.query as Query));
      const { nodes } = await controlOf(backend).listNodes({ filters });
      return json(
        reply,
        200,
        nodes.map((n) => nodeJson(n)),
      );
    });

    app.get('/nodes/:id', async (req, reply) => {
      const id = idParam(req.params);
      const { node } = await controlOf(backend).getNode({ nodeId: id });
      return json(reply, 200, nodeJson(present(node, `node ${id}`)));
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
