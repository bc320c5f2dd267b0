/**
 * Swarm objects over the Docker API: nodes, services, tasks, secrets, configs and networks. Each route
 * converts Docker JSON to the proto request, calls the control API (which validates, forwards to the
 * leader and filters) and converts the answer back.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { withDefaults } from '../../manager/controlapi/defaults.ts';
import { toDockerAs, type DockerKinds } from '../../proto/docker/kinds.ts';
import { networkResourceOf, networkSpecFromCreateRequest } from '../../proto/docker/network.ts';
import { toDocker, type DockerObject } from '../../proto/docker/convert.ts';
import type { DaemonBackend } from '../backend.ts';
import { body, bool, controlOf, filters, param, q, version } from './common.ts';
import { HttpError, json } from './reply.ts';

const empty = { length: 0 };

/** A service as Docker shows it; `insertDefaults` fills Swarm's defaults into the spec. */
function serviceJson(s: DockerKinds['Service'], insertDefaults: boolean): DockerObject {
  if (!insertDefaults || !s.spec) return toDockerAs('Service', s);
  return toDockerAs('Service', { ...s, spec: withDefaults(s.spec) });
}

/** Secrets never carry their data out of the API. */
function secretJson(s: DockerKinds['Secret']): DockerObject {
  const out = toDockerAs('Secret', s);
  const spec = out['Spec'];
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) delete spec['Data'];
  return out;
}

function nodesRoutes(app: FastifyInstance, backend: DaemonBackend): void {
  app.get('/nodes', async (req, reply) => {
    const { nodes } = await controlOf(backend).listNodes({ filters: filters(req.query) });
    return json(
      reply,
      200,
      nodes.map((n) => toDockerAs('Node', n as DockerKinds['Node'])),
    );
  });
  app.get('/nodes/:id', async (req, reply) => {
    const { node } = await controlOf(backend).getNode({ nodeId: param(req.params, 'id') });
    return json(reply, 200, toDockerAs('Node', node as DockerKinds['Node']));
  });
  app.post('/nodes/:id/update', async (req, reply) => {
    await controlOf(backend).updateNode({
      nodeId: param(req.params, 'id'),
      nodeVersion: version(req.query),
      spec: body('NodeSpec', req.body),
    });
    return json(reply, 200, {});
  });
  app.delete('/nodes/:id', async (req, reply) => {
    await controlOf(backend).removeNode({ nodeId: param(req.params, 'id'), force: bool(req.query, 'force') });
    return json(reply, 200, {});
  });
}

function servicesRoutes(app: FastifyInstance, backend: DaemonBackend): void {
  app.get('/services', async (req, reply) => {
    const { services } = await controlOf(backend).listServices({
      filters: filters(req.query),
      status: bool(req.query, 'status'),
    });
    return json(
      reply,
      200,
      services.map((s) => serviceJson(s as DockerKinds['Service'], false)),
    );
  });
  app.get('/services/:id', async (req, reply) => {
    const { service } = await controlOf(backend).getService({ serviceId: param(req.params, 'id') });
    return json(
      reply,
      200,
      serviceJson(service as DockerKinds['Service'], bool(req.query, 'insertDefaults')),
    );
  });
  app.post('/services/create', async (req, reply) => {
    const { service } = await controlOf(backend).createService({ spec: body('ServiceSpec', req.body) });
    return json(reply, 201, { ID: service?.id ?? '', Warnings: null });
  });
  app.post('/services/:id/update', async (req, reply) => {
    const rollback = q(req.query, 'rollback') ?? '';
    if (rollback !== '' && rollback !== 'previous')
      throw new HttpError(400, `invalid rollback ${JSON.stringify(rollback)}: the only value is "previous"`);
    await controlOf(backend).updateService({
      serviceId: param(req.params, 'id'),
      serviceVersion: version(req.query),
      spec: body('ServiceSpec', req.body),
      rollback,
    });
    return json(reply, 200, { Warnings: null });
  });
  app.delete('/services/:id', async (req, reply) => {
    await controlOf(backend).removeService({ serviceId: param(req.params, 'id') });
    return json(reply, 200, {});
  });
}

function tasksRoutes(app: FastifyInstance, backend: DaemonBackend): void {
  app.get('/tasks', async (req, reply) => {
    const { tasks } = await controlOf(backend).listTasks({ filters: filters(req.query) });
    return json(
      reply,
      200,
      tasks.map((t) => toDockerAs('Task', t as DockerKinds['Task'])),
    );
  });
  app.get('/tasks/:id', async (req, reply) => {
    const { task } = await controlOf(backend).getTask({ taskId: param(req.params, 'id') });
    return json(reply, 200, toDockerAs('Task', task as DockerKinds['Task']));
  });
}

function secretsRoutes(app: FastifyInstance, backend: DaemonBackend): void {
  app.get('/secrets', async (req, reply) => {
    const { secrets } = await controlOf(backend).listSecrets({ filters: filters(req.query) });
    return json(
      reply,
      200,
      secrets.map((s) => secretJson(s as DockerKinds['Secret'])),
    );
  });
  app.get('/secrets/:id', async (req, reply) => {
    const { secret } = await controlOf(backend).getSecret({ secretId: param(req.params, 'id') });
    return json(reply, 200, secretJson(secret as DockerKinds['Secret']));
  });
  app.post('/secrets/create', async (req, reply) => {
    const { secret } = await controlOf(backend).createSecret({ spec: body('SecretSpec', req.body) });
    return json(reply, 201, { ID: secret?.id ?? '' });
  });
  app.post('/secrets/:id/update', async (req, reply) => {
    await controlOf(backend).updateSecret({
      secretId: param(req.params, 'id'),
      secretVersion: version(req.query),
      spec: body('SecretSpec', req.body),
    });
    return json(reply, 200, {});
  });
  app.delete('/secrets/:id', async (req, reply) => {
    await controlOf(backend).removeSecret({ secretId: param(req.params, 'id') });
    return reply.code(204).send();
  });
}

function configsRoutes(app: FastifyInstance, backend: DaemonBackend): void {
  app.get('/configs', async (req, reply) => {
    const { configs } = await controlOf(backend).listConfigs({ filters: filters(req.query) });
    return json(
      reply,
      200,
      configs.map((c) => toDockerAs('Config', c as DockerKinds['Config'])),
    );
  });
  app.get('/configs/:id', async (req, reply) => {
    const { config } = await controlOf(backend).getConfig({ configId: param(req.params, 'id') });
    return json(reply, 200, toDockerAs('Config', config as DockerKinds['Config']));
  });
  app.post('/configs/create', async (req, reply) => {
    const { config } = await controlOf(backend).createConfig({ spec: body('ConfigSpec', req.body) });
    return json(reply, 201, { ID: config?.id ?? '' });
  });
  app.post('/configs/:id/update', async (req, reply) => {
    await controlOf(backend).updateConfig({
      configId: param(req.params, 'id'),
      configVersion: version(req.query),
      spec: body('ConfigSpec', req.body),
    });
    return json(reply, 200, {});
  });
  app.delete('/configs/:id', async (req, reply) => {
    await controlOf(backend).removeConfig({ configId: param(req.params, 'id') });
    return reply.code(204).send();
  });
}

function networksRoutes(app: FastifyInstance, backend: DaemonBackend): void {
  const resource = (n: unknown): DockerObject =>
    toDocker('NetworkResource', networkResourceOf(n as DockerKinds['Network']));
  app.get('/networks', async (req, reply) => {
    const { networks } = await controlOf(backend).listNetworks({ filters: filters(req.query) });
    return json(reply, 200, networks.map(resource));
  });
  app.get('/networks/:id', async (req, reply) => {
    const scope = q(req.query, 'scope');
    if (scope && scope !== 'swarm') throw new HttpError(404, `network ${param(req.params, 'id')} not found`);
    const { network } = await controlOf(backend).getNetwork({ networkId: param(req.params, 'id') });
    return json(reply, 200, resource(network));
  });
  app.post('/networks/create', async (req, reply) => {
    const create = body('NetworkCreateRequest', req.body);
    if (create.name === '') throw new HttpError(400, 'Name: a network needs a name');
    const { network } = await controlOf(backend).createNetwork({
      spec: networkSpecFromCreateRequest(create),
    });
    return json(reply, 201, { Id: network?.id ?? '', Warning: '' });
  });
  app.delete('/networks/:id', async (req, reply) => {
    await controlOf(backend).removeNetwork({ networkId: param(req.params, 'id') });
    return reply.code(204).send();
  });
}

export function objectsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return async (app: FastifyInstance): Promise<void> => {
    nodesRoutes(app, backend);
    servicesRoutes(app, backend);
    tasksRoutes(app, backend);
    secretsRoutes(app, backend);
    configsRoutes(app, backend);
    networksRoutes(app, backend);
    // Shoal pulls nothing: there is no registry to pin a digest from (the CLI then warns and goes on).
    app.get('/distribution/*', (req, reply) =>
      json(reply, 404, {
        message: `no such image: ${(req.params as { '*': string })['*'].replace(/\/json$/, '')}: Shoal does not query registries`,
      }),
    );
    void empty;
  };
}
