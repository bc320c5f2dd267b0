import { describe, expect, it } from 'vitest';
import { expand, expandTask, templateContext, TemplateError } from './template.ts';
import type { Task } from './types.ts';

const task = {
  id: 'tid1',
  name: 'web.2.tid1',
  serviceId: 'sid1',
  nodeId: 'nid1',
  slot: 2,
  labels: { tier: 'front', a: 'b' },
  spec: {
    containerSpec: {
      env: ['NODE_HOSTNAME={{.Node.Hostname}}', 'PLAIN=x', 'L={{index .Service.Labels "tier"}}'],
      hostname: '{{.Service.Name}}-{{.Task.Slot}}',
      mounts: [{ source: '/data/{{.Task.Name}}', target: '/data' }],
    },
  },
} as unknown as Task;
const node = { hostname: 'host-a', platform: { os: 'linux', architecture: 'x86_64' } };

describe('service templates', () => {
  const ctx = templateContext(task, node);

  it('expands every field Swarm offers', () => {
    const all =
      '{{.Service.ID}} {{.Service.Name}} {{.Service.Labels}} {{.Node.ID}} {{.Node.Hostname}} ' +
      '{{.Node.Platform.OS}} {{.Node.Platform.Architecture}} {{.Task.ID}} {{.Task.Name}} {{.Task.Slot}}';
    expect(expand(all, ctx, 'f')).toBe(
      'sid1 web map[a:b tier:front] nid1 host-a linux x86_64 tid1 web.2.tid1 2',
    );
    expect(expand('a {{- .Task.Slot -}} b', ctx, 'f')).toBe('a2b');
    expect(expand('{{ index .Service.Labels "nope" }}|', ctx, 'f')).toBe('|');
  });

  it('uses the node ID as the slot of a global task', () => {
    const global: Task = { ...task, slot: 0, name: 'web.nid1.tid1' };
    const c = templateContext(global, node);
    expect([c.task.slot, c.service.name]).toEqual(['nid1', 'web']);
  });

  it('expands env values, hostname and mount sources of a task', () => {
    const cs = expandTask(task, node).spec?.containerSpec;
    expect(cs?.env).toEqual(['NODE_HOSTNAME=host-a', 'PLAIN=x', 'L=front']);
    expect(cs?.hostname).toBe('web-2');
    expect(cs?.mounts[0]?.source).toBe('/data/web.2.tid1');
  });

  it('names the field and the template of a malformed one', () => {
    const bad = (t: string): unknown => {
      try {
        expand(t, ctx, 'ContainerSpec.Env[3]');
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const e1 = bad('x {{.Node.Hostname');
    expect(e1).toBeInstanceOf(TemplateError);
    expect((e1 as Error).message).toBe(
      'invalid template in ContainerSpec.Env[3] "x {{.Node.Hostname": unclosed action ("{{" without "}}")',
    );
    expect((bad('{{.Node.Nope}}') as Error).message).toContain('unsupported action {{.Node.Nope}}');
    expect(bad('{{printf "%s" .Task.ID}}')).toBeInstanceOf(TemplateError);
  });
});
