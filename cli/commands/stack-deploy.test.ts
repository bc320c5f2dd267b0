import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run } from '../testing/server.ts';
import { dockerBoolFlags } from './stack.ts';
import { stackFake, type StackFake } from '../testing/stack-fake.ts';

let fake: StackFake | undefined;
afterEach(async () => {
  await fake?.daemon.close();
  fake = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'shoal-stack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOTICE =
  'Since --detach=false was not specified, tasks will be created in the background.\n' +
  'In a future release, --detach=false will become the default.\n';

/** Writes a compose file into the test directory and returns its path. */
function compose(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
writeFileSync(join(dir, 'pw.txt'), 'hunter2');

const BASE = `
services:
  web:
    image: busybox
    command: sleep 3600
    networks: [front]
    secrets: [pw, ext]
    deploy:
      replicas: 2
  db:
    image: redis:7
networks:
  front:
secrets:
  pw:
    file: ./pw.txt
  ext:
    external: true
`;

async function deployed(file: string): Promise<StackFake> {
  const f = await stackFake();
  f.addSecret('ext');
  const r = await run(f.daemon, ['stack', 'deploy', '-c', file, 'st']);
  expect(r.err).toBe(NOTICE);
  expect(r.code).toBe(0);
  f.daemon.requests.length = 0;
  return f;
}

describe('shoal stack deploy', () => {
  it('creates networks, secrets and services with the requests docker sends, in its order', async () => {
    fake = await stackFake();
    const ext = fake.addSecret('ext');
    const r = await run(fake.daemon, ['stack', 'deploy', '-c', compose('a.yml', BASE), 'st']);
    expect(r).toEqual({
      code: 0,
      err: NOTICE,
      out:
        'Creating network st_front\nCreating network st_default\nCreating secret st_pw\n' +
        'Creating service st_web\nCreating service st_db\n',
    });
    const label = '{"label":{"com.docker.stack.namespace=st":true}}';
    expect(fake.daemon.lines()).toEqual([
      'GET /v1.47/info',
      'GET /v1.47/secrets?filters={"name":{"ext":true}}',
      `GET /v1.47/networks?filters=${label}`,
      'POST /v1.47/networks/create',
      'POST /v1.47/networks/create',
      'GET /v1.47/secrets/st_pw',
      'POST /v1.47/secrets/create',
      'GET /v1.47/secrets?filters={"name":{"ext":true,"st_pw":true}}',
      `GET /v1.47/services?filters=${label}`,
      'GET /v1.47/distribution/busybox:latest/json',
      'POST /v1.47/services/create',
      'GET /v1.47/distribution/redis:7/json',
      'POST /v1.47/services/create',
    ]);
    const bodies = fake.daemon.requests.filter((q) => q.method === 'POST').map((q) => q.body);
    expect(bodies[0]).toEqual({
      Driver: 'overlay',
      Scope: '',
      IPAM: null,
      Internal: false,
      Attachable: false,
      Ingress: false,
      ConfigOnly: false,
      ConfigFrom: null,
      Options: null,
      Labels: { 'com.docker.stack.namespace': 'st' },
      Name: 'st_front',
    });
    expect(bodies[2]).toEqual({
      Name: 'st_pw',
      Labels: { 'com.docker.stack.namespace': 'st' },
      Data: Buffer.from('hunter2').toString('base64'),
    });
    const pw = [...fake.secrets.values()].find((s) => s.Spec['Name'] === 'st_pw')?.ID;
    expect(bodies[3]).toEqual({
      Name: 'st_web',
      Labels: { 'com.docker.stack.image': 'busybox', 'com.docker.stack.namespace': 'st' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'busybox:latest',
          Labels: { 'com.docker.stack.namespace': 'st' },
          Args: ['sleep', '3600'],
          Privileges: { CredentialSpec: null, SELinuxContext: null, NoNewPrivileges: false },
          Secrets: [
            { File: { Name: 'ext', UID: '0', GID: '0', Mode: 292 }, SecretID: ext, SecretName: 'ext' },
            { File: { Name: 'pw', UID: '0', GID: '0', Mode: 292 }, SecretID: pw, SecretName: 'st_pw' },
          ],
        },
        Resources: {},
        Placement: {},
        Networks: [{ Target: 'st_front', Aliases: ['web'] }],
        ForceUpdate: 0,
      },
      Mode: { Replicated: { Replicas: 2 } },
      EndpointSpec: {},
    });
    expect(
      (bodies[4] as { TaskTemplate: { ContainerSpec: { Image: string } } }).TaskTemplate.ContainerSpec.Image,
    ).toBe('redis:7');
  });

  it('an unchanged file changes nothing: reads only, no writes', async () => {
    const file = compose('same.yml', BASE);
    fake = await deployed(file);
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '-c', file, 'st']);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(fake.writes()).toEqual([]);
  });

  it('a changed service is updated alone, with its version, keeping ForceUpdate', async () => {
    const file = compose('change.yml', BASE);
    fake = await deployed(file);
    const web = [...fake.services.values()].find((s) => s.Spec['Name'] === 'st_web');
    if (!web) throw new Error('no web');
    (web.Spec['TaskTemplate'] as Record<string, unknown>)['ForceUpdate'] = 3;
    const version = web.Version.Index;
    writeFileSync(file, BASE.replace('sleep 3600', 'sleep 7200'));
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '--resolve-image', 'never', '-c', file, 'st']);
    expect(r).toEqual({ code: 0, out: `Updating service st_web (id: ${web.ID})\n`, err: '' });
    expect(fake.writes()).toEqual([`POST /services/${web.ID}/update?version=${version}`]);
    const body = fake.daemon.requests.find((q) => q.method === 'POST')?.body as {
      TaskTemplate: { ForceUpdate: number; ContainerSpec: { Image: string; Args: string[] } };
    };
    expect(body.TaskTemplate.ForceUpdate).toBe(3);
    expect(body.TaskTemplate.ContainerSpec.Image).toBe('busybox:latest'); // kept from the server
    expect(body.TaskTemplate.ContainerSpec.Args).toEqual(['sleep', '7200']);
  });

  it('a secret whose labels changed is updated (with its data, for the daemon to check); --prune removes dropped services', async () => {
    const file = compose('prune.yml', BASE);
    fake = await deployed(file);
    const pw = [...fake.secrets.values()].find((s) => s.Spec['Name'] === 'st_pw');
    const db = [...fake.services.values()].find((s) => s.Spec['Name'] === 'st_db');
    const version = pw?.Version.Index;
    writeFileSync(
      file,
      BASE.replace(/ {2}db:\n {4}image: redis:7\n/, '').replace(
        'file: ./pw.txt',
        'file: ./pw.txt\n    labels: [k=v]',
      ),
    );
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '--prune', '-c', file, 'st']);
    expect(r).toEqual({ code: 0, out: 'Removing service st_db\n', err: '' });
    expect(fake.writes()).toEqual([
      `DELETE /services/${db?.ID}`,
      `POST /secrets/${pw?.ID}/update?version=${version}`,
    ]);
    expect(fake.daemon.requests.find((q) => q.method === 'POST')?.body).toEqual({
      Name: 'st_pw',
      Data: Buffer.from('hunter2').toString('base64'),
      Labels: { 'com.docker.stack.namespace': 'st', k: 'v' },
    });
    expect([...fake.services.values()].map((s) => s.Spec['Name'])).toEqual(['st_web']);
  });

  it('a config whose data changed fails before any write, saying what to do', async () => {
    writeFileSync(join(dir, 'app.conf'), 'v1');
    const file = compose(
      'conf.yml',
      'services:\n  a:\n    image: x\n    configs: [app]\nconfigs:\n  app:\n    file: ./app.conf\n',
    );
    fake = await stackFake();
    expect((await run(fake.daemon, ['stack', 'deploy', '-d', '-c', file, 'st'])).code).toBe(0);
    writeFileSync(join(dir, 'app.conf'), 'v2');
    writeFileSync(file, readFileSync(file, 'utf8').replace('image: x', 'image: y'));
    fake.daemon.requests.length = 0;
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '-c', file, 'st']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'config "st_app" already exists with different data, and a config\'s data cannot be changed: give the config a new name in the compose file (for example "name: st_app_v2"), or remove the stack first\n',
    );
    expect(fake.writes()).toEqual([]);
  });

  it('a missing external secret fails before any write, naming it', async () => {
    fake = await stackFake();
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '-c', compose('ext.yml', BASE), 'st']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('secret "ext" is declared as external, but could not be found');
    expect(fake.writes()).toEqual([]);
  });

  it('a missing external network fails before any write', async () => {
    fake = await stackFake();
    const file = compose(
      'extnet.yml',
      'services:\n  a:\n    image: x\n    networks: [n]\nnetworks:\n  n:\n    external: true\n',
    );
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '-c', file, 'st']);
    expect(r.err).toBe(
      'network "n" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed\n',
    );
    expect(fake.daemon.lines()).toEqual(['GET /v1.47/info', 'GET /v1.47/networks/n']);
  });

  it('an invalid file sends no request at all and names file, path and problem', async () => {
    fake = await stackFake();
    const file = compose(
      'bad.yml',
      'services:\n  web:\n    image: busybox\n    deploy:\n      replicas: lots\n',
    );
    const r = await run(fake.daemon, ['stack', 'deploy', '-c', file, 'st']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    expect(r.err).toContain('services.web.deploy.replicas');
    expect(fake.daemon.requests).toEqual([]);
  });

  it('prints converter warnings on stderr; checks --resolve-image before anything', async () => {
    fake = await stackFake();
    const file = compose('warn.yml', 'services:\n  a:\n    image: x\n    build: .\n');
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '-c', file, 'st']);
    expect(r.err).toBe('service a: Ignoring unsupported options: build\n\n');
    const bad = await run(fake.daemon, ['stack', 'deploy', '--resolve-image', 'sometimes', '-c', file, 'st']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Invalid option sometimes for flag --resolve-image');
  });

  it('an updated service gets the registry lookup and its warning with --resolve-image always', async () => {
    const file = compose('always.yml', BASE);
    fake = await deployed(file);
    writeFileSync(file, BASE.replace('image: busybox', 'image: busybox:1.36'));
    const r = await run(fake.daemon, ['stack', 'deploy', '-d', '-c', file, 'st']);
    expect(r.out).toMatch(/^Updating service st_web \(id: svc\w+\)\n$/);
    expect(r.err).toBe(
      'image busybox:1.36 could not be accessed on a registry to record\nits digest. Each node will access busybox:1.36 independently,\npossibly leading to different nodes running different\nversions of the image.\n',
    );
    expect(fake.daemon.lines().filter((l) => l.includes('/distribution/'))).toEqual([
      'GET /v1.47/distribution/busybox:1.36/json',
      'GET /v1.47/distribution/redis:7/json',
    ]);
  });

  it('--resolve-image never asks no registry; untagged images get :latest, as docker sends them', async () => {
    fake = await stackFake();
    fake.addSecret('ext');
    const file = compose('never.yml', BASE);
    await run(fake.daemon, ['stack', 'deploy', '-d', '--resolve-image', 'never', '-c', file, 'st']);
    expect(fake.daemon.lines().some((l) => l.includes('/distribution/'))).toBe(false);
    const images = [...fake.services.values()].map(
      (s) =>
        ((s.Spec['TaskTemplate'] as Record<string, unknown>)['ContainerSpec'] as { Image: string }).Image,
    );
    expect(images).toEqual(['busybox:latest', 'redis:7']);
  });

  it("docker's --detach=false becomes --no-detach; other values are flag errors", () => {
    expect(dockerBoolFlags(['stack', 'deploy', '--detach=false', 'x'])).toEqual([
      'stack',
      'deploy',
      '--no-detach',
      'x',
    ]);
    expect(dockerBoolFlags(['stack', 'rm', '--detach=true', 'x'])).toEqual(['stack', 'rm', '--detach', 'x']);
    expect(() => dockerBoolFlags(['stack', 'rm', '--detach=maybe', 'x'])).toThrow(
      'invalid argument "maybe" for "--detach" flag',
    );
    expect(dockerBoolFlags(['service', 'ls', '--detach=false'])).toEqual(['service', 'ls', '--detach=false']);
  });

  it('without -c it says how to give a file, before any request', async () => {
    fake = await stackFake();
    const r = await run(fake.daemon, ['stack', 'deploy', 'st']);
    expect(r).toEqual({ code: 1, out: '', err: 'Specify a Compose file (with --compose-file)\n' });
    expect(fake.daemon.requests).toEqual([]);
  });
});
