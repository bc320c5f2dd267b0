/** `stack ls|services|ps|rm` against the trace's requests and output (docker-cli-28-trace.txt). */
import { afterEach, describe, expect, it } from 'vitest';
import { SELF, task } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';
import type { Service } from '../types.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

const WEB = 'xdrbps5ev4cc29w6ms7nzqnnz';
const WORKER = 'i08lr90ihrkp80pnyx9c86je0';
const NS = { 'com.docker.stack.namespace': 'mystack' };
const LABEL = '{"label":{"com.docker.stack.namespace=mystack":true}}';

function svc(id: string, name: string, spec: Partial<Service['Spec']>, status: [number, number]): Service {
  return {
    ID: id,
    Version: { Index: 40 },
    Spec: { Name: name, Labels: NS, ...spec },
    ServiceStatus: { RunningTasks: status[0], DesiredTasks: status[1] },
  };
}

const services: Service[] = [
  {
    ...svc(
      WEB,
      'mystack_web',
      {
        TaskTemplate: { ContainerSpec: { Image: 'nginx:alpine' }, Placement: { MaxReplicas: 2 } },
        Mode: { Replicated: { Replicas: 3 } },
      },
      [3, 3],
    ),
    Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8081, PublishMode: 'ingress' }] },
  },
  svc(
    WORKER,
    'mystack_worker',
    { TaskTemplate: { ContainerSpec: { Image: 'busybox:latest' } }, Mode: { Global: {} } },
    [1, 1],
  ),
];

describe('shoal stack ls, services, ps, rm', () => {
  it('ls counts services per namespace label (NAME SERVICES, as docker 28)', async () => {
    daemon = await fakeDaemon({
      'GET /services': {
        json: [
          ...services,
          svc('other000000000000000000000', 'b_x', { Labels: { 'com.docker.stack.namespace': 'b' } }, [0, 0]),
        ],
      },
    });
    const r = await run(daemon, ['stack', 'ls']);
    expect(r.out).toBe('NAME      SERVICES\nb         1\nmystack   2\n');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services?filters={"label":{"com.docker.stack.namespace":true}}',
    ]);
    expect((await run(daemon, ['stack', 'ls', '--format', '{{.Name}}:{{.Services}}'])).out).toBe(
      'b:1\nmystack:2\n',
    );
  });

  it('services is service ls filtered by the namespace label', async () => {
    daemon = await fakeDaemon({ 'GET /services': { json: services } });
    const r = await run(daemon, ['stack', 'services', 'mystack']);
    expect(r.out).toBe(
      'ID             NAME             MODE         REPLICAS               IMAGE            PORTS\n' +
        'xdrbps5ev4cc   mystack_web      replicated   3/3 (max 2 per node)   nginx:alpine     *:8081->80/tcp\n' +
        'i08lr90ihrkp   mystack_worker   global       1/1                    busybox:latest   \n',
    );
    expect(daemon.lines()).toEqual([`GET /v1.47/services?filters=${LABEL}&status=true`]);
    daemon.requests.length = 0;
    const q = await run(daemon, ['stack', 'services', '-q', '--filter', 'name=mystack_w', 'mystack']);
    expect(q.out).toBe('xdrbps5ev4cc\ni08lr90ihrkp\n');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services?filters={"label":{"com.docker.stack.namespace=mystack":true},"name":{"mystack_w":true}}',
    ]);
  });

  it('services of an empty stack says so on stderr and succeeds', async () => {
    daemon = await fakeDaemon({ 'GET /services': { json: [] } });
    expect(await run(daemon, ['stack', 'services', 'none'])).toEqual({
      code: 0,
      out: '',
      err: 'Nothing found in stack: none\n',
    });
  });

  it('ps lists the tasks with the label, then the services and nodes it names', async () => {
    const t = (id: string, serviceId: string, slot: number) => ({
      ...task(id, slot, 'running', '2026-11-22T11:47:20Z'),
      ServiceID: serviceId,
      ...(slot === 0 ? { Slot: 0 } : {}),
    });
    daemon = await fakeDaemon({
      'GET /tasks': {
        json: [
          t('t5ijue2izy3e0000000000000', WEB, 1),
          t('9jsprlag1m580000000000000', WEB, 2),
          {
            ...t('r767qncliwre0000000000000', WORKER, 0),
            Spec: { ContainerSpec: { Image: 'busybox:latest' } },
          },
        ],
      },
      [`GET /services/${WEB}`]: { json: services[0] },
      [`GET /services/${WORKER}`]: { json: services[1] },
      [`GET /nodes/${SELF}`]: { json: { ID: SELF, Spec: {}, Description: { Hostname: 'fakehost' } } },
    });
    const r = await run(daemon, ['stack', 'ps', 'mystack']);
    expect(r.out).toBe(
      'ID             NAME                                       IMAGE            NODE       DESIRED STATE   CURRENT STATE                    ERROR     PORTS\n' +
        't5ijue2izy3e   mystack_web.1                              nginx:alpine     fakehost   Running         Running less than a second ago             \n' +
        '9jsprlag1m58   mystack_web.2                              nginx:alpine     fakehost   Running         Running less than a second ago             \n' +
        'r767qncliwre   mystack_worker.cqfcz35eqpiez44xushu0jvrl   busybox:latest   fakehost   Running         Running less than a second ago             \n',
    );
    expect(daemon.lines()).toEqual([
      `GET /v1.47/tasks?filters=${LABEL}`,
      `GET /v1.47/services/${WEB}?insertDefaults=false`,
      `GET /v1.47/services/${WORKER}?insertDefaults=false`,
      `GET /v1.47/nodes/${SELF}`,
    ]);
    daemon.requests.length = 0;
    expect((await run(daemon, ['stack', 'ps', '-q', 'mystack'])).out).toBe(
      't5ijue2izy3e0000000000000\n9jsprlag1m580000000000000\nr767qncliwre0000000000000\n',
    );
  });

  it('ps of an empty stack is an error', async () => {
    daemon = await fakeDaemon({ 'GET /tasks': { json: [] } });
    expect(await run(daemon, ['stack', 'ps', 'none'])).toEqual({
      code: 1,
      out: '',
      err: 'nothing found in stack: none\n',
    });
  });

  it('rm lists by label, then removes services, secrets, configs, networks in that order', async () => {
    daemon = await fakeDaemon({
      'GET /services': { json: [services[1], services[0]] },
      'GET /networks': {
        json: ['0zfled7i2qwbdkzzqowh8dc9p', 'omaekw37ofsnro042mm3nvnyw'].map((Id, i) => ({
          Id,
          Name: ['mystack_front', 'mystack_back'][i],
        })),
      },
      'GET /secrets': { json: [{ ID: '30kvo1nxzibnhtpxgzcx7auic', Spec: { Name: 'mystack_mysecret' } }] },
      'GET /configs': { json: [{ ID: 't7v0oiu3lgvbyvu7fp3wtj2dl', Spec: { Name: 'mystack_mycfg' } }] },
      'DELETE /services/*': { json: {} },
      'DELETE /secrets/*': { status: 204 },
      'DELETE /configs/*': { status: 204 },
      'DELETE /networks/omaekw37ofsnro042mm3nvnyw': { status: 204 },
      'DELETE /networks/0zfled7i2qwbdkzzqowh8dc9p': {
        status: 400,
        json: { message: 'network mystack_front is in use' },
      },
    });
    const r = await run(daemon, ['stack', 'rm', 'mystack']);
    expect(r.out).toBe(
      'Removing service mystack_web\nRemoving service mystack_worker\nRemoving secret mystack_mysecret\n' +
        'Removing config mystack_mycfg\nRemoving network mystack_front\nRemoving network mystack_back\n',
    );
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'Failed to remove network 0zfled7i2qwbdkzzqowh8dc9p: Error response from daemon: network mystack_front is in use\n' +
        'Failed to remove some resources from stack: mystack\n',
    );
    const lines = daemon.lines();
    expect(lines.slice(0, 10)).toEqual([
      `GET /v1.47/services?filters=${LABEL}`,
      `GET /v1.47/networks?filters=${LABEL}`,
      `GET /v1.47/secrets?filters=${LABEL}`,
      `GET /v1.47/configs?filters=${LABEL}`,
      `DELETE /v1.47/services/${WEB}`,
      `DELETE /v1.47/services/${WORKER}`,
      'DELETE /v1.47/secrets/30kvo1nxzibnhtpxgzcx7auic',
      'DELETE /v1.47/configs/t7v0oiu3lgvbyvu7fp3wtj2dl',
      'DELETE /v1.47/networks/0zfled7i2qwbdkzzqowh8dc9p',
      'DELETE /v1.47/networks/omaekw37ofsnro042mm3nvnyw',
    ]);
  });

  it('rm of an unknown stack says so on stderr and removes nothing', async () => {
    daemon = await fakeDaemon({
      'GET /services': { json: [] },
      'GET /networks': { json: [] },
      'GET /secrets': { json: [] },
      'GET /configs': { json: [] },
    });
    expect(await run(daemon, ['stack', 'rm', 'gone'])).toEqual({
      code: 0,
      out: '',
      err: 'Nothing found in stack: gone\n',
    });
    expect(daemon.lines().every((l) => l.startsWith('GET '))).toBe(true);
  });
});
