/**
 * Differential test of `stack deploy`: every compose file of ../shared/compose-corpus and the trace's
 * compose file is deployed with `shoal stack deploy` to a Shoal cluster (one shoald) and with the real
 * `docker stack deploy` to a real Docker Swarm (a private dockerd), with the same stack name, the same
 * files beside it, the same external objects and the same environment. The services, networks,
 * secrets and configs each side then holds must be equal once only server-generated fields (IDs,
 * timestamps, versions, allocations: the list is in stack-diff-normalise.ts) are normalised.
 *
 * Both single nodes are drained first: nothing is scheduled (no image is pullable here anyway), so
 * the test compares specs only and stays fast. Each stack is removed from both sides before the next
 * is deployed, so that published ports and subnets of different files cannot collide.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureDockerInstalled,
  startDockerd,
  type PrivateDockerd,
} from '../worker/engines/docker/testkit.ts';
import { eventually, freePort } from './harness.ts';
import { api, SHOAL_BIN, ShoaldKit } from './shoald-kit.ts';
import {
  createExternals,
  drainOnlyNode,
  prepare,
  purge,
  removeExternals,
  runCli,
  snapshot,
  type Side,
} from './stack-diff-kit.ts';
import { apiBelow, withoutNewerFields } from './stack-diff-normalise.ts';

const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
/** STACK_DIFF_FILES=a.yml:b.yml runs only those files (to look into one difference). */
const FILES = process.env['STACK_DIFF_FILES']?.split(':') ?? [
  ...readdirSync(join(SHARED, 'compose-corpus'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(SHARED, 'compose-corpus', f)),
  join(SHARED, 'reference', 'trace-stack-compose.yml'),
];
/** The machine's docker CLI 28, as docker-cli.test.ts picks it (Debian's 20.10 is /usr/bin/docker). */
const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';

const why = process.getuid?.() !== 0 ? 'needs root (a private dockerd)' : await ensureDockerInstalled();
if (why) console.warn(`stack diff test skipped: ${why}`);

describe.skipIf(why !== undefined)('stack deploy: Shoal and Docker Swarm create the same objects', () => {
  const work = mkdtempSync(join(tmpdir(), 'shoal-stack-diff-'));
  /** The one environment both CLIs run with: what the files interpolate, and nothing else. */
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(work, 'home'),
    DOCKER_CONFIG: join(work, 'docker-config'),
    DOMAIN: 'example.com',
    USERNAME: 'admin',
    HASHED_PASSWORD: '$apr1$abc$def',
    EMAIL: 'admin@example.com',
    HOSTNAME: 'node-1',
    PROMSTACK_PROMETHEUS_VERSION: 'prom/prometheus:v2.53.0',
    PROMSTACK_PROMETHEUS_GENCONFIG_VERSION: 'swarmlibs/genconfig:0.1.0',
    PROMSTACK_PROMETHEUS_CONFIG_PROVIDER_VERSION: 'swarmlibs/prometheus-config-provider:0.1.0',
    PROMSTACK_PROMETHEUS_CONFIG_RELOADER_VERSION:
      'quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0',
  };
  const kit = new ShoaldKit({ root: join(work, 'shoal') });
  let dockerd: PrivateDockerd | undefined;
  let shoal: Side, swarm: Side;
  /** The reference dockerd's API version (Debian's docker.io 20.10: 1.41). */
  let dockerApi = '';

  beforeAll(async () => {
    // Both are started at once; each is recorded as soon as it is up, so afterAll stops it either way.
    const [started, dStarted] = await Promise.allSettled([kit.add('m'), startDockerd(60_000)]);
    if (dStarted.status === 'fulfilled') dockerd = dStarted.value;
    if (started.status === 'rejected') throw started.reason;
    if (dStarted.status === 'rejected') throw dStarted.reason;
    const m = started.value;
    const d = dStarted.value;
    shoal = {
      name: 'shoal',
      socket: m.socket,
      cli: (args, cwd) =>
        runCli(process.execPath, [SHOAL_BIN, '-H', `unix://${m.socket}`, ...args], cwd, env),
    };
    swarm = {
      name: 'docker',
      socket: d.socket,
      cli: (args, cwd) => runCli(DOCKER, ['-H', `unix://${d.socket}`, ...args], cwd, env),
    };
    const init = await api(m.socket, 'POST', '/v1.41/swarm/init', {
      ListenAddr: m.addr,
      AdvertiseAddr: m.addr,
    });
    expect(init.status, init.body).toBe(200);
    dockerApi = (await api(d.socket, 'GET', '/version')).json<{ ApiVersion: string }>().ApiVersion;
    if (apiBelow(dockerApi, '1.42'))
      console.warn(`stack diff: dockerd speaks API ${dockerApi}; fields newer than 1.41 are not compared`);
    const port = await freePort();
    const dinit = await swarm.cli(
      ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${port}`],
      work,
    );
    expect(dinit.code, dinit.stderr).toBe(0);
    for (const side of [shoal, swarm]) {
      await eventually(
        async () => {
          const nodes = await api(side.socket, 'GET', '/v1.41/nodes');
          return (
            nodes.status === 200 && nodes.json<{ Status: { State: string } }[]>()[0]?.Status.State === 'ready'
          );
        },
        `${side.name}: the node ready`,
        () => kit.describe(),
        30_000,
      );
      await drainOnlyNode(side);
    }
  }, 120_000);

  afterAll(async () => {
    await kit.destroy();
    if (dockerd) {
      await swarm.cli(['swarm', 'leave', '--force'], work).catch(() => undefined);
      await dockerd.stop();
    }
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it.each(FILES.map((f, i) => ({ file: basename(f), path: f, ns: `s${String(i + 1).padStart(2, '0')}` })))(
    '$file',
    async ({ path, ns }) => {
      const dir = join(work, ns);
      const p = prepare(path, dir, env);
      try {
        for (const side of [shoal, swarm]) await createExternals(side, p);
        const deploy = ['stack', 'deploy', '-d', '--resolve-image', 'never', '-c', p.file, ns];
        const [s, d] = await Promise.all([shoal.cli(deploy, dir), swarm.cli(deploy, dir)]);
        expect(d.code, `docker stack deploy\n${d.stdout}\n${d.stderr}`).toBe(0);
        expect(s.code, `shoal stack deploy\n${s.stdout}\n${s.stderr}`).toBe(0);
        const [shown, want] = await Promise.all([
          snapshot(shoal, ns, p.subnets),
          snapshot(swarm, ns, p.subnets),
        ]);
        const got = withoutNewerFields(shown, dockerApi);
        if (process.env['STACK_DIFF_DUMP'])
          writeFileSync(
            join(process.env['STACK_DIFF_DUMP'], `${ns}.json`),
            JSON.stringify({ shoal: got, docker: want }, null, 2),
          );
        expect.soft(Object.keys(got.services), 'service names').toEqual(Object.keys(want.services));
        expect.soft(got.networks, 'networks').toEqual(want.networks);
        expect.soft(got.secrets, 'secrets').toEqual(want.secrets);
        expect.soft(got.configs, 'configs').toEqual(want.configs);
        for (const name of Object.keys(want.services))
          expect.soft(got.services[name], `service ${name}`).toEqual(want.services[name]);
        // The "Creating …" lines name the same objects (docker's order is Go map order: sort both).
        const created = (out: string) =>
          out
            .split('\n')
            .filter((l) => l.startsWith('Creating '))
            .sort();
        expect.soft(created(s.stdout), 'objects created').toEqual(created(d.stdout));
      } finally {
        for (const side of [shoal, swarm]) {
          await side.cli(['stack', 'rm', ns], dir);
          await eventually(
            () => purge(side, ns),
            `${side.name}: ${ns} removed`,
            () => kit.describe(),
          );
          await removeExternals(side, p);
        }
      }
    },
    60_000,
  );
});
