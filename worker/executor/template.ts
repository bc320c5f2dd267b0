/**
 * Service templates as Swarm expands them per task (model: swarmkit `template/context.go` and
 * `expand.go`): environment values, the hostname and mount sources may use
 * `{{.Service.ID}}`, `{{.Service.Name}}`, `{{.Service.Labels}}`, `{{index .Service.Labels "k"}}`,
 * `{{.Node.ID}}`, `{{.Node.Hostname}}`, `{{.Node.Platform.OS}}`, `{{.Node.Platform.Architecture}}`,
 * `{{.Task.ID}}`, `{{.Task.Name}}` and `{{.Task.Slot}}`. This is a small parser for exactly these
 * forms (with Go's `{{-` / `-}}` trim markers), not a Go template engine; anything else is an error.
 */
import type { Task } from './types.ts';

/** What the templates need of the node's description (NodeDescription, as given or as received). */
export interface NodeInfo {
  readonly hostname?: string | null | undefined;
  readonly platform?:
    { readonly os?: string | null; readonly architecture?: string | null } | null | undefined;
}

/** Thrown when a template is malformed or names something the context has not. */
export class TemplateError extends Error {
  readonly code = 'TEMPLATE_INVALID';
  constructor(
    /** The spec field holding the template, e.g. `ContainerSpec.Env[0]`. */
    readonly field: string,
    readonly template: string,
    readonly reason: string,
  ) {
    super(`invalid template in ${field} ${JSON.stringify(template)}: ${reason}`);
    this.name = 'TemplateError';
  }
}

/** What the templates of one task can see. */
export interface TemplateContext {
  readonly service: {
    readonly id: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly node: {
    readonly id: string;
    readonly hostname: string;
    readonly os: string;
    readonly architecture: string;
  };
  readonly task: { readonly id: string; readonly name: string; readonly slot: string };
}

/** The service's name: the manager names tasks `<service>.<slot or node>.<id>`. */
function serviceName(task: Task): string {
  const suffix = `.${task.slot > 0 ? task.slot : task.nodeId}.${task.id}`;
  return task.name.endsWith(suffix) ? task.name.slice(0, -suffix.length) : task.name || task.serviceId;
}

/** The context Swarm builds for `task` on the node described by `node` (the agent's own description). */
export function templateContext(task: Task, node: NodeInfo | undefined): TemplateContext {
  const slot = task.slot > 0 ? String(task.slot) : task.nodeId;
  const service = serviceName(task);
  return {
    service: { id: task.serviceId, name: service, labels: task.labels },
    node: {
      id: task.nodeId,
      hostname: node?.hostname ?? '',
      os: node?.platform?.os ?? '',
      architecture: node?.platform?.architecture ?? '',
    },
    task: { id: task.id, name: task.name || `${service}.${slot}.${task.id}`, slot },
  };
}

/** Go's `fmt` of a map[string]string: `map[a:1 b:2]`, keys sorted. */
function goMap(m: Readonly<Record<string, string>>): string {
  const keys = Object.keys(m).sort();
  return `map[${keys.map((k) => `${k}:${m[k] ?? ''}`).join(' ')}]`;
}

function field(path: string, ctx: TemplateContext): string | undefined {
  switch (path) {
    case '.Service.ID':
      return ctx.service.id;
    case '.Service.Name':
      return ctx.service.name;
    case '.Service.Labels':
      return goMap(ctx.service.labels);
    case '.Node.ID':
      return ctx.node.id;
    case '.Node.Hostname':
      return ctx.node.hostname;
    case '.Node.Platform.OS':
      return ctx.node.os;
    case '.Node.Platform.Architecture':
      return ctx.node.architecture;
    case '.Task.ID':
      return ctx.task.id;
    case '.Task.Name':
      return ctx.task.name;
    case '.Task.Slot':
      return ctx.task.slot;
    default:
      return undefined;
  }
}

const INDEX = /^index\s+\.Service\.Labels\s+"((?:[^"\\]|\\.)*)"$/;

/** The value of one action (the text between `{{` and `}}`, trim markers removed). */
function action(body: string, ctx: TemplateContext): string | undefined {
  const a = body.trim();
  const idx = INDEX.exec(a);
  if (idx) return ctx.service.labels[JSON.parse(`"${idx[1] ?? ''}"`) as string] ?? '';
  return field(a, ctx);
}

/**
 * Expands the actions of `template`.
 * @throws TemplateError naming `fieldName` for an unclosed action or one this parser does not know.
 */
export function expand(template: string, ctx: TemplateContext, fieldName: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) return out + rest;
    let text = rest.slice(0, open);
    let body = rest.slice(open + 2);
    const close = body.indexOf('}}');
    if (close < 0) throw new TemplateError(fieldName, template, 'unclosed action ("{{" without "}}")');
    rest = body.slice(close + 2);
    body = body.slice(0, close);
    if (body.startsWith('- ')) {
      text = text.trimEnd();
      body = body.slice(1);
    }
    if (body.endsWith(' -')) {
      rest = rest.trimStart();
      body = body.slice(0, -1);
    }
    const value = action(body, ctx);
    if (value === undefined) {
      throw new TemplateError(fieldName, template, `unsupported action {{${body}}}`);
    }
    out += text + value;
  }
}

/**
 * `task` with its environment values, hostname and mount sources expanded, as the engine must see it.
 * @throws TemplateError for the first malformed template (naming the field).
 */
export function expandTask(task: Task, node: NodeInfo | undefined): Task {
  const cs = task.spec?.containerSpec;
  if (!task.spec || !cs) return task;
  const ctx = templateContext(task, node);
  const env = cs.env.map((kv, i) => {
    const eq = kv.indexOf('=');
    if (eq < 0) return kv;
    return kv.slice(0, eq + 1) + expand(kv.slice(eq + 1), ctx, `ContainerSpec.Env[${i}]`);
  });
  const hostname = expand(cs.hostname, ctx, 'ContainerSpec.Hostname');
  const mounts = cs.mounts.map((m, i) => ({
    ...m,
    source: expand(m.source, ctx, `ContainerSpec.Mounts[${i}].Source`),
  }));
  return { ...task, spec: { ...task.spec, containerSpec: { ...cs, env, hostname, mounts } } };
}
