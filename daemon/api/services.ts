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

const obj = (v: unknown): DockerObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as DockerObject) : undefined;

/**
 * Writes what Docker's daemon writes for every service spec even at its zero value (moby
 * daemon/cluster/convert/service.go `serviceSpecFromGRPC` and the Go types' fields without
 * `omitempty`): `TaskTemplate.ForceUpdate`, `TaskTemplate.Runtime` ("container"),
 * `ContainerSpec.Isolation` ("default"), `Privileges.CredentialSpec`/`SELinuxContext` (null), a
 * restart policy's `Condition` ("any") and `MaxAttempts`, an update or rollback config's
 * `Parallelism`, `FailureAction` ("pause"), `MaxFailureRatio` and `Order` ("stop-first"). The
 * unspecified enums mean exactly these values (manager/controlapi/defaults.ts). Found by
 * cluster-tests/stack-diff.test.ts against a real Docker Swarm.
 */
export function withDockerZeroFields(spec: DockerObject): void {
  const task = obj(spec['TaskTemplate']);
  if (task) {
    task['ForceUpdate'] ??= 0;
    if (!task['PluginSpec'] && !task['NetworkAttachmentSpec']) task['Runtime'] ??= 'container';
    const container = obj(task['ContainerSpec']);
    if (container) {
      container['Isolation'] ??= 'default';
      const privileges = obj(container['Privileges']);
      if (privileges) {
        privileges['CredentialSpec'] ??= null;
        privileges['SELinuxContext'] ??= null;
      }
    }
    const restart = obj(task['RestartPolicy']);
    if (restart) {
      restart['Condition'] ??= 'any';
      restart['MaxAttempts'] ??= 0;
    }
  }
  for (const key of ['UpdateConfig', 'RollbackConfig']) {
    const c = obj(spec[key]);
    if (!c) continue;
    c['Parallelism'] ??= 0;
    c['FailureAction'] ??= 'pause';
    c['MaxFailureRatio'] ??= 0;
    c['Order'] ??= 'stop-first';
  }
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
  withDockerZeroFields(out['Spec'] as DockerObject);
  if (out['PreviousSpec']) {
    withContainerSpec(out['PreviousSpec']);
    withDockerZeroFields(out['PreviousSpec'] as DockerObject);
  }
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
