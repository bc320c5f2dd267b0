import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stamp = '2026-11-22T11:47:19.8Z';

describe('shoal secret and config', () => {
  it('secret create reads the file and sends it base64', async () => {
    const file = join(dir, 'secret.txt');
    writeFileSync(file, 's3cr3t');
    daemon = await fakeDaemon({
      'POST /secrets/create': { status: 201, json: { ID: '10h0t8rwm1b05uvkmv57dipfj' } },
    });
    const r = await run(daemon, ['secret', 'create', 'mysecret', file]);
    expect(r).toEqual({ code: 0, out: '10h0t8rwm1b05uvkmv57dipfj\n', err: '' });
    expect(daemon.requests[1]?.body).toEqual({ Name: 'mysecret', Labels: {}, Data: 'czNjcjN0' });
  });

  it('config create - reads stdin, with labels', async () => {
    daemon = await fakeDaemon({
      'POST /configs/create': { status: 201, json: { ID: 'vou3uu41i09s53syfmllhrvm4' } },
    });
    const r = await run(daemon, ['config', 'create', '--label', 'a=b', 'mycfg', '-'], {
      stdin: 'key: val\n',
    });
    expect(r.out).toBe('vou3uu41i09s53syfmllhrvm4\n');
    expect(daemon.requests[1]?.body).toEqual({ Name: 'mycfg', Labels: { a: 'b' }, Data: 'a2V5OiB2YWwK' });
  });

  it('ls prints the trace layout with relative times', async () => {
    const obj = (id: string, name: string) => ({
      ID: id,
      CreatedAt: stamp,
      UpdatedAt: stamp,
      Spec: { Name: name },
    });
    daemon = await fakeDaemon({
      'GET /secrets': { json: [obj('10h0t8rwm1b05uvkmv57dipfj', 'mysecret')] },
      'GET /configs': { json: [obj('vou3uu41i09s53syfmllhrvm4', 'mycfg')] },
    });
    expect((await run(daemon, ['secret', 'ls'])).out).toBe(
      'ID                          NAME       DRIVER    CREATED                  UPDATED\n' +
        '10h0t8rwm1b05uvkmv57dipfj   mysecret             Less than a second ago   Less than a second ago\n',
    );
    expect((await run(daemon, ['config', 'ls'])).out).toBe(
      'ID                          NAME      CREATED                  UPDATED\n' +
        'vou3uu41i09s53syfmllhrvm4   mycfg     Less than a second ago   Less than a second ago\n',
    );
    expect((await run(daemon, ['secret', 'ls', '-q'])).out).toBe('10h0t8rwm1b05uvkmv57dipfj\n');
  });

  it('inspect --pretty and rm', async () => {
    daemon = await fakeDaemon({
      'GET /configs/mycfg': {
        json: {
          ID: 'cfg1',
          CreatedAt: stamp,
          UpdatedAt: stamp,
          Spec: { Name: 'mycfg', Labels: { a: 'b' }, Data: 'a2V5OiB2YWwK' },
        },
      },
      'DELETE /configs/mycfg': { status: 204 },
      'DELETE /secrets/mysecret': {
        status: 400,
        json: { message: "secret 'mysecret' is in use by the following service: web" },
      },
    });
    expect((await run(daemon, ['config', 'inspect', '--pretty', 'mycfg'])).out).toBe(
      'ID:\t\t\tcfg1\nName:\t\t\tmycfg\nLabels:\n - a=b\nCreated at:            \t2026-11-22 11:47:19.8 +0000 utc\nUpdated at:            \t2026-11-22 11:47:19.8 +0000 utc\nData:\nkey: val\n\n',
    );
    expect((await run(daemon, ['config', 'rm', 'mycfg'])).out).toBe('mycfg\n');
    expect(await run(daemon, ['secret', 'rm', 'mysecret'])).toEqual({
      code: 1,
      out: '',
      err: "Error response from daemon: secret 'mysecret' is in use by the following service: web\n",
    });
  });

  it('a missing file fails before any request', async () => {
    daemon = await fakeDaemon();
    const r = await run(daemon, ['secret', 'create', 'x', join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ENOENT');
    expect(daemon.requests).toEqual([]);
  });
});

describe('shoal network', () => {
  it('create -d overlay sends the traced body', async () => {
    daemon = await fakeDaemon({
      'POST /networks/create': { status: 201, json: { Id: '686qal4llmsfolhbmtrqazxpa', Warning: '' } },
    });
    expect((await run(daemon, ['network', 'create', '-d', 'overlay', 'mynet'])).out).toBe(
      '686qal4llmsfolhbmtrqazxpa\n',
    );
    expect(daemon.requests[1]?.body).toEqual({
      Driver: 'overlay',
      Scope: '',
      IPAM: { Driver: 'default', Options: {}, Config: [] },
      Internal: false,
      Attachable: false,
      Ingress: false,
      ConfigOnly: false,
      ConfigFrom: null,
      Options: {},
      Labels: {},
      Name: 'mynet',
    });
    await run(daemon, [
      'network',
      'create',
      '--subnet',
      '10.60.0.0/24',
      '--gateway',
      '10.60.0.1',
      '--attachable',
      '--opt',
      'encrypted=true',
      '--label',
      'x=z',
      'back',
    ]);
    expect(daemon.requests.at(-1)?.body).toMatchObject({
      IPAM: { Config: [{ Subnet: '10.60.0.0/24', Gateway: '10.60.0.1' }] },
      Attachable: true,
      Options: { encrypted: 'true' },
      Labels: { x: 'z' },
    });
  });

  it('bad subnets fail before any request', async () => {
    daemon = await fakeDaemon();
    expect(await run(daemon, ['network', 'create', '--subnet', '10.0.0.0', 'n'])).toEqual({
      code: 1,
      out: '',
      err: 'invalid argument "10.0.0.0" for "--subnet" flag: invalid CIDR address: 10.0.0.0\nSee \'shoal network create --help\'.\n',
    });
    expect(daemon.requests).toEqual([]);
  });

  it('ls, inspect, rm', async () => {
    const nets = [
      { Id: 'fec7b3719ce0aaaa', Name: 'bridge', Driver: 'bridge', Scope: 'local' },
      { Id: 'rawrzdsz4src0000', Name: 'ingress', Driver: 'overlay', Scope: 'swarm' },
      { Id: '686qal4llmsfolhbmtrqazxpa', Name: 'mynet', Driver: 'overlay', Scope: 'swarm' },
    ];
    daemon = await fakeDaemon({
      'GET /networks': { json: nets },
      'GET /networks/mynet': { json: nets[2] },
      'DELETE /networks/mynet': { status: 204 },
    });
    expect((await run(daemon, ['network', 'ls'])).out).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\n' +
        'fec7b3719ce0   bridge    bridge    local\n' +
        'rawrzdsz4src   ingress   overlay   swarm\n' +
        '686qal4llmsf   mynet     overlay   swarm\n',
    );
    expect((await run(daemon, ['network', 'inspect', '-f', '{{.Name}} {{.Scope}}', 'mynet'])).out).toBe(
      'mynet swarm\n',
    );
    const before = daemon.lines().length;
    expect((await run(daemon, ['network', 'rm', 'mynet'])).out).toBe('mynet\n');
    expect(daemon.lines().slice(before)).toEqual([
      'GET /v1.47/networks/mynet',
      'DELETE /v1.47/networks/mynet',
    ]);
  });
});
