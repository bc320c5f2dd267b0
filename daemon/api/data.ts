/**
 * `/secrets` and `/configs`: create (201 `{ID}`), list, inspect, update (labels only), remove (204).
 * Secrets never show their data; configs do (docker-api.md, "Secrets, configs, networks").
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DockerObject } from '../../proto/docker/convert.ts';
import { fromDockerAs, toDockerAs } from '../../proto/docker/kinds.ts';
import type { Config__Output } from '../../proto/gen/shoal/api/Config.ts';
import type { Secret__Output } from '../../proto/gen/shoal/api/Secret.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { ControlService } from '../../manager/controlapi/rpc.ts';
import type { DaemonBackend } from '../backend.ts';
import {
  controlOf,
  idParam,
  json,
  listFilters,
  objectBody,
  parseFilters,
  present,
  versionParam,
  type Query,
} from './common.ts';

type Kind = 'secret' | 'config';
type Spec = ReturnType<typeof fromDockerAs<'SecretSpec' | 'ConfigSpec'>>;
type Obj = Secret__Output | Config__Output;

/** One kind's control calls, so that the routes below serve both. */
interface DataCalls {
  create(c: ControlService, spec: Spec): Promise<Obj | null>;
  list(c: ControlService, filters: ReturnType<typeof listFilters>): Promise<Obj[]>;
  get(c: ControlService, id: string): Promise<Obj | null>;
  update(c: ControlService, id: string, version: { index: number }, spec: Spec): Promise<unknown>;
  remove(c: ControlService, id: string): Promise<unknown>;
  show(o: Obj): DockerObject;
}

const SECRETS: DataCalls = {
  create: async (c, spec) => (await c.createSecret({ spec })).secret,
  list: async (c, filters) => (await c.listSecrets({ filters })).secrets,
  get: async (c, id) => (await c.getSecret({ secretId: id })).secret,
  update: (c, id, version, spec) => c.updateSecret({ secretId: id, secretVersion: version, spec }),
  remove: (c, id) => c.removeSecret({ secretId: id }),
  show: (o) => {
    const out = toDockerAs('Secret', o as Secret__Output);
    const spec = out['Spec'] as DockerObject | undefined;
    if (spec) delete spec['Data'];
    return out;
  },
};

const CONFIGS: DataCalls = {
  create: async (c, spec) => (await c.createConfig({ spec })).config,
  list: async (c, filters) => (await c.listConfigs({ filters })).configs,
  get: async (c, id) => (await c.getConfig({ configId: id })).config,
  update: (c, id, version, spec) => c.updateConfig({ configId: id, configVersion: version, spec }),
  remove: (c, id) => c.removeConfig({ configId: id }),
  show: (o) => toDockerAs('Config', o),
};

/** Docker words the labels-only rule as swarmkit's gRPC status. */
function labelsOnly(err: unknown): unknown {
  if (err instanceof InvalidArgumentError && err.message.endsWith('only updates to Labels are allowed'))
    return new InvalidArgumentError(
      'rpc error: code = InvalidArgument desc = only updates to Labels are allowed',
    );
  return err;
}

function dataPlugin(kind: Kind, calls: DataCalls, backend: DaemonBackend): FastifyPluginAsync {
  const base = `/${kind}s`;
  const specKind = kind === 'secret' ? 'SecretSpec' : 'ConfigSpec';
  return (app) => {
    app.post(`${base}/create`, async (req, reply) => {
      const spec = fromDockerAs(specKind, objectBody(req.body, `${kind} create`));
      const o = present(await calls.create(controlOf(backend), spec), kind);
      return json(reply, 201, { ID: o.id });
    });

    app.get(base, async (req, reply) => {
      const filters = listFilters(parseFilters(req.query as Query));
      const all = await calls.list(controlOf(backend), filters);
      return json(
        reply,
        200,
        all.map((o) => calls.show(o)),
      );
    });

    app.get(`${base}/:id`, async (req, reply) => {
      const id = idParam(req.params);
      return json(reply, 200, calls.show(present(await calls.get(controlOf(backend), id), `${kind} ${id}`)));
    });

    app.post(`${base}/:id/update`, async (req, reply) => {
      const version = versionParam(req.query as Query);
      const spec = fromDockerAs(specKind, objectBody(req.body, `${kind} update`));
      await calls.update(controlOf(backend), idParam(req.params), version, spec).catch((err: unknown) => {
        throw labelsOnly(err);
      });
      return json(reply, 200, undefined);
    });

    app.delete(`${base}/:id`, async (req, reply) => {
      await calls.remove(controlOf(backend), idParam(req.params));
      return reply.code(204).send();
    });
    return Promise.resolve();
  };
}

/** The secret routes. */
export function secretsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return dataPlugin('secret', SECRETS, backend);
}

/** The config routes. */
export function configsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return dataPlugin('config', CONFIGS, backend);
}
