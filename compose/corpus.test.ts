/**
 * Every real-world compose file in ../shared/compose-corpus loads, validates and converts; the one
 * that needs variables fails with a clear interpolation error until they are given.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { convertStack } from './convert/stack.ts';
import { ComposeInterpolationError } from './errors.ts';
import { loadProject, type LoadOptions } from './load.ts';

const dir = fileURLToPath(new URL('../../shared/compose-corpus/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

/** Variables the files require (`${VAR?msg}`), by file. */
const requiredEnv: Record<string, Record<string, string>> = {
  'tiangolo__dockerswarm.rocks__docs_traefik-host-v1.yml': {
    DOMAIN: 'example.com',
    EMAIL: 'admin@example.com',
    USERNAME: 'admin',
    HASHED_PASSWORD: '$apr1$x',
  },
};

function load(file: string, env: LoadOptions['env']) {
  const project = loadProject([{ path: `${dir}${file}`, text: readFileSync(`${dir}${file}`, 'utf8') }], {
    env,
    readText: () => '',
  });
  return convertStack(project, 'ns', { readFile: (path) => `contents of ${path}` });
}

describe('compose corpus', () => {
  it('has the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s loads, validates and converts', (file) => {
    const stack = load(file, requiredEnv[file] ?? {});
    expect(stack.services.length).toBeGreaterThan(0);
    for (const svc of stack.services) {
      expect(svc.name.startsWith('ns_')).toBe(true);
      const spec = svc.spec as { Labels: Record<string, string>; TaskTemplate: { ContainerSpec: object } };
      expect(spec.Labels['com.docker.stack.namespace']).toBe('ns');
      expect(spec.TaskTemplate.ContainerSpec).toBeDefined();
    }
  });

  it('reports a missing required variable with file, path and docker wording', () => {
    const file = 'tiangolo__dockerswarm.rocks__docs_traefik-host-v1.yml';
    expect(() => load(file, {})).toThrow(ComposeInterpolationError);
    expect(() => load(file, {})).toThrow(
      /traefik-host-v1\.yml: services\.\S+: required variable \w+ is missing a value: Variable not set/,
    );
  });

  it('converts the voting app as docker would', () => {
    const stack = load('dockersamples__example-voting-app__docker-stack.yml', {});
    const vote = stack.services.find((s) => s.name === 'ns_vote')?.spec as Record<string, unknown>;
    expect(vote['Mode']).toEqual({ Replicated: { Replicas: 2 } });
    expect(vote['UpdateConfig']).toEqual({ Parallelism: 2, MaxFailureRatio: 0, Order: '' });
    expect(vote['EndpointSpec']).toEqual({
      Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 5000, PublishMode: 'ingress' }],
    });
    expect(stack.warnings).toContain('service vote: Ignoring unsupported options: depends_on');
    const db = stack.services.find((s) => s.name === 'ns_db')?.spec as {
      TaskTemplate: { ContainerSpec: Record<string, unknown> };
    };
    expect(db.TaskTemplate.ContainerSpec['Mounts']).toEqual([
      {
        Type: 'volume',
        Source: 'ns_db-data',
        Target: '/var/lib/postgresql/data',
        VolumeOptions: { Labels: { 'com.docker.stack.namespace': 'ns' } },
      },
    ]);
    expect(db.TaskTemplate.ContainerSpec['Env']).toEqual([
      'POSTGRES_PASSWORD=postgres',
      'POSTGRES_USER=postgres',
    ]);
  });

  it('lists external networks, secrets and configs by their real names', () => {
    expect(load('dockersamples__atsea-sample-shop-app__docker-stack.yml', {}).externalSecrets).toEqual([
      'postgres_password',
      'staging_token',
      'revprox_key',
      'revprox_cert',
    ]);
    const logging = load('vfarcic__docker-flow-stacks__logging_logging-df-proxy.yml', {});
    expect(logging.externalNetworks).toEqual(['proxy']);
    expect(logging.externalConfigs).toEqual(['logstash.conf']);
  });
});
