import { describe, expect, it } from 'vitest';
import {
  ComposeForbiddenError,
  ComposeReferenceError,
  ComposeSchemaError,
  ComposeValueError,
  ComposeYamlError,
  type ComposeError,
} from './errors.ts';
import { convertStack } from './convert/stack.ts';
import { loadProject, type ComposeSource } from './load.ts';

const svc = (project: ReturnType<typeof loadProject>, name: string) =>
  (project.model['services'] as Record<string, Record<string, unknown>>)[name] ?? {};

function load(sources: ComposeSource[] | string, extra: Partial<Parameters<typeof loadProject>[1]> = {}) {
  const list = typeof sources === 'string' ? [{ path: '/app/compose.yml', text: sources }] : sources;
  return loadProject(list, { env: {}, ...extra });
}

function error(f: () => unknown): ComposeError {
  try {
    f();
  } catch (e) {
    return e as ComposeError;
  }
  throw new Error('expected an error');
}

describe('YAML features', () => {
  it('resolves anchors and << merge keys, and reads 0400 as octal like docker', () => {
    const p = load(`
x-defaults: &defaults
  image: busybox
  deploy: { replicas: 2 }
services:
  a:
    <<: *defaults
    secrets: [{ source: s, mode: 0400 }]
  b:
    <<: *defaults
    image: alpine
secrets:
  s: { external: true }
`);
    expect(svc(p, 'a')).toMatchObject({
      image: 'busybox',
      deploy: { replicas: 2 },
      secrets: [{ source: 's', mode: 256 }],
    });
    expect(svc(p, 'b')).toMatchObject({ image: 'alpine', deploy: { replicas: 2 } });
  });

  it('ignores x- extension fields at every level', () => {
    const p = load(`
x-top: 1
services:
  a:
    image: busybox
    x-custom: { anything: [1, 2] }
    deploy: { x-note: hi, replicas: 1 }
`);
    expect(() => convertStack(p, 'ns')).not.toThrow();
  });
});

describe('interpolation while loading', () => {
  it('takes the shell environment over .env, and .env over defaults', () => {
    const p = load(
      'services:\n  a:\n    image: "${IMG:-none}:${TAG:-latest}"\n    deploy: { replicas: "${N:-1}" }\n',
      {
        env: { TAG: 'shell' },
        dotEnvText: '# comment\nIMG=fromdotenv\nTAG=dotenv\nexport N="4"\n',
      },
    );
    expect(svc(p, 'a')['image']).toBe('fromdotenv:shell');
    const stack = convertStack(p, 'ns');
    expect(stack.services[0]?.spec['Mode']).toEqual({ Replicated: { Replicas: 4 } });
  });

  it('resolves env_file then environment, bare names from the shell', () => {
    const p = load(
      'services:\n  a:\n    image: x\n    env_file: [a.env]\n    environment: [B=override, FROM_SHELL, MISSING]\n',
      {
        env: { FROM_SHELL: 'sh' },
        readText: (path) => (path === '/app/a.env' ? 'A=1\nB=2\n# c\nC="quoted"\n' : ''),
      },
    );
    expect(svc(p, 'a')['environment']).toEqual({
      A: '1',
      B: 'override',
      C: '"quoted"',
      FROM_SHELL: 'sh',
      MISSING: null,
    });
    const spec = convertStack(p, 'ns').services[0]?.spec as {
      TaskTemplate: { ContainerSpec: { Env: string[] } };
    };
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual([
      'A=1',
      'B=override',
      'C="quoted"',
      'FROM_SHELL=sh',
      'MISSING',
    ]);
  });
});

describe('merging files', () => {
  const base = `
services:
  web:
    image: nginx:1
    command: [nginx, -g, "daemon off;"]
    environment: { A: "1", B: "2" }
    labels: [l1=a]
    ports: ["80:80", "443:443"]
    volumes: [data:/data, /srv:/srv:ro]
    secrets: [s1]
    networks: [front]
    dns: [8.8.8.8]
    deploy:
      replicas: 2
      placement: { constraints: [node.role == worker] }
      resources: { limits: { memory: 128M } }
networks: { front: {} }
volumes: { data: {} }
secrets: { s1: { external: true }, s2: { external: true } }
`;
  const override = `
services:
  web:
    image: nginx:2
    command: nginx
    environment: [B=3, C=4]
    labels: { l2: b }
    ports: [{ target: 80, published: 80, mode: host }, "8080:8080"]
    volumes: [{ type: volume, source: data, target: /data, read_only: true }]
    secrets: [{ source: s2, target: s1 }]
    networks: { back: { aliases: [w] } }
    dns: [1.1.1.1, 8.8.8.8]
    deploy:
      replicas: 5
      placement: { constraints: [node.labels.x == y] }
      resources: { limits: { cpus: "0.5" } }
  extra:
    image: busybox
networks: { back: { driver: overlay } }
`;
  const p = load([
    { path: '/app/compose.yml', text: base },
    { path: '/app/compose.override.yml', text: override },
  ]);
  const web = svc(p, 'web');

  it('replaces scalars and command, merges mappings', () => {
    expect(web['image']).toBe('nginx:2');
    expect(web['command']).toBe('nginx');
    expect(web['environment']).toEqual({ A: '1', B: '3', C: '4' });
    expect(web['labels']).toEqual({ l1: 'a', l2: 'b' });
    expect(web['deploy']).toEqual({
      replicas: 5,
      placement: { constraints: ['node.role == worker', 'node.labels.x == y'] },
      resources: { limits: { memory: '128M', cpus: '0.5' } },
    });
  });

  it('merges ports, volumes and secrets by key', () => {
    expect(web['ports']).toEqual([
      { mode: 'host', protocol: 'tcp', target: 80, published: 80 },
      { mode: 'ingress', protocol: 'tcp', target: 443, published: 443 },
      { mode: 'ingress', protocol: 'tcp', target: 8080, published: 8080 },
    ]);
    expect(web['volumes']).toEqual([
      { type: 'volume', source: 'data', target: '/data', read_only: true },
      { type: 'bind', source: '/srv', target: '/srv', read_only: true },
    ]);
    expect(web['secrets']).toEqual([{ source: 's2', target: 's1' }]);
  });

  it('merges networks as mappings, sequences without duplicates, and adds new services', () => {
    expect(web['networks']).toEqual({ front: null, back: { aliases: ['w'] } });
    expect(web['dns']).toEqual(['8.8.8.8', '1.1.1.1']);
    expect(svc(p, 'extra')['image']).toBe('busybox');
    expect(Object.keys(p.model['networks'] as object)).toEqual(['front', 'back']);
  });
});

describe('errors name file, path and problem', () => {
  it('YAML syntax', () => {
    const e = error(() => load('services:\n  web:\n    image: [unclosed\n'));
    expect(e).toBeInstanceOf(ComposeYamlError);
    expect(e.file).toBe('/app/compose.yml');
    expect(e.message).toMatch(/^\/app\/compose\.yml: line \d+ column \d+: /);
  });

  it('a top level that is not a mapping', () => {
    expect(error(() => load('- a\n- b\n')).message).toBe(
      '/app/compose.yml: Top-level object must be a mapping',
    );
  });

  it('schema: wrong type, with the dotted path', () => {
    const e = error(() => load('services:\n  web:\n    image: x\n    deploy:\n      replicas: [3]\n'));
    expect(e).toBeInstanceOf(ComposeSchemaError);
    expect(e).toMatchObject({
      file: '/app/compose.yml',
      path: 'services.web.deploy.replicas',
      problem: 'must be an integer or a string',
    });
    expect(e.message).toBe('/app/compose.yml: services.web.deploy.replicas: must be an integer or a string');
  });

  it('schema: unknown key', () => {
    const e = error(() => load('services:\n  web:\n    image: x\n    deploy: { replicaz: 3 }\n'));
    expect(e).toMatchObject({
      path: 'services.web.deploy',
      problem: 'additional property replicaz is not allowed',
    });
  });

  it('schema: bad enum value, in the second file', () => {
    const e = error(() =>
      load([
        { path: 'a.yml', text: 'services: { web: { image: x } }' },
        { path: 'b.yml', text: 'services: { web: { deploy: { mode: everywhere } } }' },
      ]),
    );
    expect(e).toMatchObject({ file: 'b.yml', path: 'services.web.deploy.mode' });
    expect(e.problem).toMatch(/^must be one of "replicated", "global"/);
  });

  it("forbidden keys, with docker's advice", () => {
    const e = error(() => load('services:\n  web:\n    image: x\n    mem_limit: 1g\n'));
    expect(e).toBeInstanceOf(ComposeForbiddenError);
    expect(e.message).toBe(
      '/app/compose.yml: services.web.mem_limit: Compose file contains unsupported options: mem_limit: Set resource limits using deploy.resources',
    );
  });

  it('undefined references at conversion', () => {
    const p = load('services:\n  web:\n    image: x\n    networks: [nope]\n');
    const e = error(() => convertStack(p, 'ns'));
    expect(e).toBeInstanceOf(ComposeReferenceError);
    expect(e.message).toBe('services.web.networks.nope: undefined network "nope"');
    const v = load('services:\n  web:\n    image: x\n    volumes: ["gone:/data"]\n');
    expect(error(() => convertStack(v, 'ns')).message).toBe(
      'services.web.volumes.0.source: undefined volume "gone"',
    );
    const s = load('services:\n  web:\n    image: x\n    secrets: [gone]\n');
    expect(error(() => convertStack(s, 'ns')).message).toBe(
      'services.web.secrets.0: undefined secret "gone"',
    );
  });

  it('values that pass the schema but do not convert', () => {
    const p = load(
      'services:\n  web:\n    image: x\n    deploy:\n      resources: { limits: { cpus: "lots" } }\n',
    );
    const e = error(() => convertStack(p, 'ns'));
    expect(e).toBeInstanceOf(ComposeValueError);
    expect(e.message).toBe('services.web.deploy.resources.limits.cpus: invalid CPU count "lots"');
    const g = load('services:\n  web:\n    image: x\n    deploy: { mode: global, replicas: 2 }\n');
    expect(error(() => convertStack(g, 'ns')).message).toBe(
      'services.web.deploy.replicas: replicas can only be used with replicated or replicated-job mode',
    );
  });
});
