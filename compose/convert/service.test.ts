/** Service keys to ServiceSpec fields, one docker rule per test. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../load.ts';
import { convertStack, type ConvertOptions } from './stack.ts';

type Spec = {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: Record<string, unknown> & { ContainerSpec: Record<string, unknown> };
  Mode: unknown;
  EndpointSpec: Record<string, unknown>;
  UpdateConfig?: unknown;
};

function convert(yaml: string, opts: ConvertOptions = {}) {
  const project = loadProject([{ path: '/app/compose.yml', text: yaml }], { env: { HOME: '/home/u' } });
  return convertStack(project, 'ns', opts);
}

function spec(yaml: string, opts: ConvertOptions = {}): Spec {
  const s = convert(yaml, opts).services[0]?.spec;
  if (!s) throw new Error('no service');
  return s as Spec;
}

const service = (body: string) => `services:\n  web:\n    image: nginx\n${body.replace(/^/gm, '    ')}\n`;

describe('convertStack services', () => {
  it('command → Args, entrypoint → Command, strings split like a shell', () => {
    const c = spec(service(`entrypoint: /bin/sh -c\ncommand: "echo 'a b' \\"c d\\" e\\\\ f"`)).TaskTemplate
      .ContainerSpec;
    expect(c['Command']).toEqual(['/bin/sh', '-c']);
    expect(c['Args']).toEqual(['echo', 'a b', 'c d', 'e f']);
  });

  it('modes: global, replicated-job, global-job, replicated without replicas', () => {
    expect(spec(service('deploy: { mode: global }')).Mode).toEqual({ Global: {} });
    expect(spec(service('deploy: { mode: replicated-job, replicas: 4 }')).Mode).toEqual({
      ReplicatedJob: { MaxConcurrent: 4, TotalCompletions: 4 },
    });
    expect(spec(service('deploy: { mode: global-job }')).Mode).toEqual({ GlobalJob: {} });
    expect(spec(service('deploy: {}')).Mode).toEqual({ Replicated: {} });
  });

  it('ports: short, ranges, udp, long with host mode; sorted by published port', () => {
    const ports = spec(
      service(
        'ports: ["9000-9001:8000-8001", "53:53/udp", "3000", { target: 80, published: "8080", mode: host }]',
      ),
    ).EndpointSpec['Ports'];
    expect(ports).toEqual([
      { Protocol: 'tcp', TargetPort: 3000, PublishMode: 'ingress' },
      { Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'ingress' },
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
      { Protocol: 'tcp', TargetPort: 8000, PublishedPort: 9000, PublishMode: 'ingress' },
      { Protocol: 'tcp', TargetPort: 8001, PublishedPort: 9001, PublishMode: 'ingress' },
    ]);
    expect(spec(service('deploy: { endpoint_mode: dnsrr }')).EndpointSpec).toEqual({ Mode: 'dnsrr' });
  });

  it('volumes: relative and ~ binds resolved, tmpfs, external and named volumes with driver', () => {
    const yaml = `${service(
      'volumes: ["./conf:/etc/conf:ro", "~/x:/x", "/a:/b:rshared", { type: tmpfs, target: /tmp, tmpfs: { size: 64M } }, "ext:/ext", "loc:/loc:nocopy", "/anon"]',
    )}volumes:\n  ext: { external: true, name: real-ext }\n  loc: { driver: local, driver_opts: { type: nfs }, labels: { a: b } }\n`;
    expect(spec(yaml).TaskTemplate.ContainerSpec['Mounts']).toEqual([
      { Type: 'bind', Source: '/app/conf', Target: '/etc/conf', ReadOnly: true },
      { Type: 'bind', Source: '/home/u/x', Target: '/x' },
      { Type: 'bind', Source: '/a', Target: '/b', BindOptions: { Propagation: 'rshared' } },
      { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 67108864 } },
      { Type: 'volume', Source: 'real-ext', Target: '/ext', VolumeOptions: {} },
      {
        Type: 'volume',
        Source: 'ns_loc',
        Target: '/loc',
        VolumeOptions: {
          NoCopy: true,
          Labels: { a: 'b', 'com.docker.stack.namespace': 'ns' },
          DriverConfig: { Name: 'local', Options: { type: 'nfs' } },
        },
      },
      { Type: 'volume', Target: '/anon' },
    ]);
  });

  it('networks: aliases plus the service name, external networks by real name, sorted by target', () => {
    const yaml = `${service('networks: { zed: { aliases: [w1] }, pub: {} }')}networks:\n  zed: {}\n  pub: { external: true, name: traefik-public }\n`;
    const stack = convert(yaml);
    expect((stack.services[0]?.spec as Spec).TaskTemplate['Networks']).toEqual([
      { Target: 'ns_zed', Aliases: ['w1', 'web'] },
      { Target: 'traefik-public', Aliases: ['web'] },
    ]);
    expect(stack.networks.map((n) => n.name)).toEqual(['ns_zed']);
    expect(stack.externalNetworks).toEqual(['traefik-public']);
  });

  it('secrets and configs: defaults, long form, resolver IDs, missing ID is an error', () => {
    const yaml = `${service('secrets: [b, { source: a, target: t, uid: "1", gid: "2", mode: 0600 }]\nconfigs: [c]')}secrets:\n  a: { external: true }\n  b: { environment: TOKEN }\nconfigs:\n  c: { content: "hello" }\n`;
    const project = loadProject([{ path: '/app/c.yml', text: yaml }], { env: { TOKEN: 'tok' } });
    const stack = convertStack(project, 'ns', { secretId: (n) => `id-${n}`, configId: (n) => `id-${n}` });
    const c = (stack.services[0]?.spec as Spec).TaskTemplate.ContainerSpec;
    expect(c['Secrets']).toEqual([
      { File: { Name: 't', UID: '1', GID: '2', Mode: 384 }, SecretID: 'id-a', SecretName: 'a' },
      { File: { Name: 'b', UID: '0', GID: '0', Mode: 292 }, SecretID: 'id-ns_b', SecretName: 'ns_b' },
    ]);
    expect(c['Configs']).toEqual([
      { File: { Name: 'c', UID: '0', GID: '0', Mode: 292 }, ConfigID: 'id-ns_c', ConfigName: 'ns_c' },
    ]);
    expect(stack.secrets).toEqual([
      { name: 'ns_b', spec: { Name: 'ns_b', Labels: { 'com.docker.stack.namespace': 'ns' }, Data: 'dG9r' } },
    ]);
    expect(stack.configs[0]?.spec['Data']).toBe('aGVsbG8=');
    expect(() => convertStack(project, 'ns', { secretId: () => undefined })).toThrow(
      'services.web.secrets.0: secret not found: ns_b',
    );
  });

  it('container keys: healthcheck, grace period, signal, user, dir, hostname, init, caps, sysctls, ulimits, dns, hosts, logging', () => {
    const s = spec(
      service(`healthcheck: { test: curl -f localhost, interval: 30s, timeout: 5s, retries: 3, start_period: 1m }
stop_grace_period: 1m30s
stop_signal: SIGUSR1
user: "1000:1000"
working_dir: /srv
hostname: "{{.Node.Hostname}}"
init: true
read_only: true
tty: true
cap_add: [net_admin, CAP_SYS_TIME]
cap_drop: [ALL]
sysctls: [net.core.somaxconn=1024]
ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } }
dns: [8.8.8.8, not-an-ip]
dns_search: [example.com]
extra_hosts: ["somehost:162.242.195.82", "other=10.0.0.1"]
logging: { driver: json-file, options: { max-size: 10m } }`),
    );
    const c = s.TaskTemplate.ContainerSpec;
    expect(c['Healthcheck']).toEqual({
      Test: ['CMD-SHELL', 'curl -f localhost'],
      Interval: 30e9,
      Timeout: 5e9,
      StartPeriod: 60e9,
      Retries: 3,
    });
    expect(c).toMatchObject({
      StopGracePeriod: 90e9,
      StopSignal: 'SIGUSR1',
      User: '1000:1000',
      Dir: '/srv',
      Hostname: '{{.Node.Hostname}}',
      Init: true,
      ReadOnly: true,
      TTY: true,
      CapabilityAdd: ['CAP_NET_ADMIN', 'CAP_SYS_TIME'],
      CapabilityDrop: ['ALL'],
      Sysctls: { 'net.core.somaxconn': '1024' },
      Ulimits: [
        { Name: 'nofile', Hard: 2048, Soft: 1024 },
        { Name: 'nproc', Hard: 65535, Soft: 65535 },
      ],
      DNSConfig: { Nameservers: ['8.8.8.8'], Search: ['example.com'] },
      Hosts: ['162.242.195.82 somehost', '10.0.0.1 other'],
    });
    expect(s.TaskTemplate['LogDriver']).toEqual({ Name: 'json-file', Options: { 'max-size': '10m' } });
    expect(spec(service('healthcheck: { disable: true }')).TaskTemplate.ContainerSpec['Healthcheck']).toEqual(
      {
        Test: ['NONE'],
      },
    );
  });

  it('restart policy from deploy, else from legacy restart', () => {
    expect(spec(service('restart: always')).TaskTemplate['RestartPolicy']).toEqual({ Condition: 'any' });
    expect(spec(service('restart: on-failure:5')).TaskTemplate['RestartPolicy']).toEqual({
      Condition: 'on-failure',
      MaxAttempts: 5,
    });
    expect(spec(service('restart: "no"')).TaskTemplate['RestartPolicy']).toBeUndefined();
    expect(
      spec(service('restart: always\ndeploy: { restart_policy: { condition: none } }')).TaskTemplate[
        'RestartPolicy'
      ],
    ).toEqual({
      Condition: 'none',
    });
  });

  it('update config defaults parallelism to 1 and always writes MaxFailureRatio and Order', () => {
    expect(spec(service('deploy: { update_config: { delay: 0s } }')).UpdateConfig).toEqual({
      Parallelism: 1,
      MaxFailureRatio: 0,
      Order: '',
    });
  });

  it('labels: deploy labels on the service, service labels on the container, image label as written', () => {
    const s = spec(service('labels: [a=1]\ndeploy: { labels: { b: "2" } }'));
    expect(s.Labels).toEqual({
      b: '2',
      'com.docker.stack.image': 'nginx',
      'com.docker.stack.namespace': 'ns',
    });
    expect(s.TaskTemplate.ContainerSpec['Labels']).toEqual({ a: '1', 'com.docker.stack.namespace': 'ns' });
    expect(s.TaskTemplate.ContainerSpec['Image']).toBe('nginx:latest');
    expect(spec(service(''), { tagImages: false }).TaskTemplate.ContainerSpec['Image']).toBe('nginx');
  });

  it('resources with pids, reservations and generic resources', () => {
    const r = spec(
      service(
        'deploy: { resources: { limits: { cpus: "1.5", memory: 1g, pids: 50 }, reservations: { cpus: 0.1, generic_resources: [{ discrete_resource_spec: { kind: gpu, value: 2 } }] } } }',
      ),
    ).TaskTemplate['Resources'];
    expect(r).toEqual({
      Limits: { NanoCPUs: 1.5e9, MemoryBytes: 1073741824, Pids: 50 },
      Reservations: {
        NanoCPUs: 1e8,
        GenericResources: [{ DiscreteResourceSpec: { Kind: 'gpu', Value: 2 } }],
      },
    });
  });

  it('warns about ignored keys with docker wording, per service', () => {
    const stack = convert(
      service('build: .\ndepends_on: [db]\ncontainer_name: x\nprivileged: true\nlinks: [db]\nexpose: [80]'),
    );
    expect(stack.warnings).toEqual([
      'service web: Ignoring unsupported options: build, depends_on, links, privileged',
      "service web: Ignoring deprecated options: container_name: Setting the container name is not supported.; expose: Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
    ]);
  });
});
