/**
 * `/services`: create, list (filters, `?status=true` counts), inspect (`?insertDefaults=true`),
 * update (`?version=`, `?rollback=previous`), remove (docker-api.md, "Services").
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DockerObject } from '../../proto/docker/convert.ts';
import { fromDockerAs, toDockerAs } from '../../proto/docker/kinds.ts';
import type { Service__Output } from '../../proto/gen/shoal/api/Service.ts';
import { withDefaults } from '../../manager/controlapi/defaults.ts';
import type { DaemonBackend } from '../backend.ts';
import {
  controlOf,
  flag,
  idParam,
  json,
  listFilters,
  objectBody,
  param,
  parseFilters,
  present,
  versionParam,
  type Query,
} from './common.ts';

/** Gives a Docker spec a `TaskTemplate.ContainerSpec` (the docker CLI dereferences it unchecked). */
export function withContainerSpec(spec: unknown): void {
  if (typeof spec !== 'object' || spec === null) return;
  const s = spec as DockerObject;
  const template = (s['TaskTemplate'] ??= {}) as DockerObject;
  template['ContainerSpec'] ??= {};
}

/** A service as `GET /services/{id}` shows it. */
export function serviceJson(s: Service__Output, insertDefaults = false): DockerObject {
  const shown: Service__Output = insertDefaults
    ? {
        ...s,
        spec: s.spec ? withDefaults(s.spec) : null,
        previousSpec: s.previousSpec ? withDefaults(s.previousSpec) : null,
      }
    : s;
  const out = toDockerAs('Service', shown);
  out['Spec'] ??= {};
  withContainerSpec(out['Spec']);
  if (out['PreviousSpec']) withContainerSpec(out['PreviousSpec']);
  if (s.serviceStatus) {
    const st = s.serviceStatus;
    out['ServiceStatus'] = {
      RunningTasks: Number(st.runningTasks),
      DesiredTasks: Number(st.desiredTasks),
      CompletedTasks: Number(st.completedTasks),
    };
  }
  return out;
}

/** The service routes. */
export function servicesPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.post('/services/create', async (req, reply) => {
      const spec = fromDockerAs('ServiceSpec', objectBody(req.body, 'service create'));
      const { service } = await controlOf(backend).createService({ spec });
      return json(reply, 201, { ID: present(service, 'service').id, Warnings: null });
    });

    app.get('/services', async (req, reply) => {
      const q = req.query as Query;
      const filters = listFilters(parseFilters(q));
      const { services } = await controlOf(backend).listServices({ filters, status: flag(q, 'status') });
      return json(
        reply,
        200,
        services.map((s) => serviceJson(s)),
      );
    });

    app.get('/services/:id', async (req, reply) => {
      const id = idParam(req.params);
      const { service } = await controlOf(backend).getService({ serviceId: id });
      return json(
        reply,
        200,
        serviceJson(present(service, `service ${id}`), flag(req.query as Query, 'insertDefaults')),
      );
    });

    app.post('/services/:id/update', async (req, reply) => {
      const q = req.query as Query;
      const version = versionParam(q);
      const rollback = param(q, 'rollback') ?? '';
      const body = rollback === 'previous' && (req.body === undefined || req.body === null) ? {} : req.body;
      const spec = fromDockerAs('ServiceSpec', objectBody(body, 'service update'));
      await controlOf(backend).updateService({
        serviceId: idParam(req.params),
        serviceVersion: version,
        spec,
        rollback,
      });
      return json(reply, 200, { Warnings: null });
    });

    app.delete('/services/:id', async (req, reply) => {
      await controlOf(backend).removeService({ serviceId: idParam(req.params) });
      return json(reply, 200, undefined);
    });
    return Promise.resolve();
  };
}
