/** `/tasks`: list (filters service, node, desired-state, label, id, name, `_up-to-date`) and inspect. */
import type { FastifyPluginAsync } from 'fastify';
import type { DockerObject } from '../../proto/docker/convert.ts';
import { toDockerAs } from '../../proto/docker/kinds.ts';
import { GO_ZERO_TIME } from '../../proto/docker/time.ts';
import type { Task__Output } from '../../proto/gen/shoal/api/Task.ts';
import type { DaemonBackend } from '../backend.ts';
import { controlOf, idParam, json, listFilters, parseFilters, present, type Query } from './common.ts';

/**
 * A task as Docker shows it: `Spec.ContainerSpec` present and `Status.Timestamp` set (the CLI prints
 * an unset one as "292 years ago"; the task's last update stands in).
 */
export function taskJson(t: Task__Output): DockerObject {
  const out = toDockerAs('Task', t);
  const spec = (out['Spec'] ??= {}) as DockerObject;
  spec['ContainerSpec'] ??= {};
  const status = (out['Status'] ??= {}) as DockerObject;
  status['Timestamp'] ??= out['UpdatedAt'] ?? out['CreatedAt'] ?? GO_ZERO_TIME;
  status['State'] ??= 'new';
  return out;
}

/** The task routes. */
export function tasksPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.get('/tasks', async (req, reply) => {
      const filters = listFilters(parseFilters(req.query as Query));
      const { tasks } = await controlOf(backend).listTasks({ filters });
      return json(reply, 200, tasks.map(taskJson));
    });

    app.get('/tasks/:id', async (req, reply) => {
      const id = idParam(req.params);
      const { task } = await controlOf(backend).getTask({ taskId: id });
      return json(reply, 200, taskJson(present(task, `task ${id}`)));
    });
    return Promise.resolve();
  };
}
