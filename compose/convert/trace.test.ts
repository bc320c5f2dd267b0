/**
 * The trace compose file must convert to exactly the bodies the real docker CLI (28.2.2) sent for
 * `docker stack deploy -c compose.yml mystack` (../shared/reference/docker-cli-28-trace.txt).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tracedRequests } from '../../proto/docker/trace.ts';
import { loadProject } from '../load.ts';
import { convertStack } from './stack.ts';

const reference = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));
const composePath = `${reference}trace-stack-compose.yml`;
const requests = tracedRequests(`${reference}docker-cli-28-trace.txt`);

type Body = Record<string, unknown>;
const bodies = (route: string): Body[] =>
  requests.filter((r) => r.method === 'POST' && r.route === route).map((r) => r.body as Body);
const inStack = (b: Body) =>
  (b['Labels'] as Record<string, string> | undefined)?.['com.docker.stack.namespace'] === 'mystack';

const tracedServices = bodies('/services/create').filter(inStack);
const tracedNetworks = bodies('/networks/create').filter(inStack);
const tracedSecrets = bodies('/secrets/create').filter(inStack);
const tracedConfigs = bodies('/configs/create').filter(inStack);

/** Name → ID as the stand-in server answered, taken from the service bodies themselves. */
function idsFromTrace(kind: 'Secret' | 'Config'): Map<string, string> {
  const ids = new Map<string, string>();
  for (const svc of tracedServices) {
    const container = (svc['TaskTemplate'] as Body)['ContainerSpec'] as Body;
    for (const ref of (container[`${kind}s`] as Body[] | undefined) ?? []) {
      ids.set(ref[`${kind}Name`] as string, ref[`${kind}ID`] as string);
    }
  }
  return ids;
}

/** The files beside compose.yml when the trace was taken (their contents are in the traced bodies). */
const files: Record<string, string> = {
  '/trace/secret.txt': 's3cr3t',
  '/trace/cfg.yml': 'key: val\n',
};

function convertTraceFile() {
  const project = loadProject([{ path: '/trace/compose.yml', text: readFileSync(composePath, 'utf8') }], {
    env: {},
  });
  const secretIds = idsFromTrace('Secret');
  const configIds = idsFromTrace('Config');
  return convertStack(project, 'mystack', {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`unexpected read of ${path}`);
      return text;
    },
    secretId: (name) => secretIds.get(name),
    configId: (name) => configIds.get(name),
  });
}

describe('trace-stack-compose.yml → docker 28 request bodies', () => {
  const stack = convertTraceFile();

  it('finds the traced bodies', () => {
    expect(tracedServices).toHaveLength(2);
    expect(tracedNetworks).toHaveLength(3);
    expect(tracedSecrets).toHaveLength(1);
    expect(tracedConfigs).toHaveLength(1);
  });

  it('converts every service to the traced ServiceSpec', () => {
    const byName = new Map(stack.services.map((s) => [s.name, s.spec]));
    expect([...byName.keys()].sort()).toEqual(tracedServices.map((s) => s['Name']).sort());
    for (const traced of tracedServices) expect(byName.get(traced['Name'] as string)).toEqual(traced);
  });

  it('converts the used networks to the traced NetworkCreate bodies', () => {
    const byName = new Map(stack.networks.map((n) => [n.name, n.spec]));
    expect([...byName.keys()].sort()).toEqual(tracedNetworks.map((n) => n['Name']).sort());
    for (const traced of tracedNetworks) expect(byName.get(traced['Name'] as string)).toEqual(traced);
  });

  it('converts secrets and configs to the traced bodies and lists the external secret', () => {
    expect(stack.secrets.map((s) => s.spec)).toEqual(tracedSecrets);
    expect(stack.configs.map((c) => c.spec)).toEqual(tracedConfigs);
    expect(stack.externalSecrets).toEqual(['ext_secret']);
    expect(stack.externalNetworks).toEqual([]);
  });

  it('writes the same JSON text as docker (Go field order, sorted map keys)', () => {
    const text = (xs: readonly { spec: unknown }[]) => xs.map((x) => JSON.stringify(x.spec)).sort();
    const traced = (xs: readonly Body[]) => xs.map((x) => JSON.stringify(x)).sort();
    expect(text(stack.services)).toEqual(traced(tracedServices));
    expect(text(stack.networks)).toEqual(traced(tracedNetworks));
    expect(text(stack.secrets)).toEqual(traced(tracedSecrets));
    expect(text(stack.configs)).toEqual(traced(tracedConfigs));
  });

  it('warns about nothing for this file', () => {
    expect(stack.warnings).toEqual([]);
  });
});
