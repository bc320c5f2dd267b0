/**
 * The two sides of stack-diff.test.ts — a Shoal cluster and a Docker Swarm — behind one interface:
 * deploy a compose file with the side's own CLI, snapshot what a stack left, remove it. Plus the
 * preparation of a compose file's directory (the files its secrets and configs read) and the external
 * objects it needs, found by loading the file with compose/.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { convertStack, loadComposeFiles } from '../compose/index.ts';
import { api } from './shoald-kit.ts';
import {
  keyed,
  normaliseFileObject,
  normaliseNetwork,
  normaliseService,
  specName,
  type Names,
  type Obj,
  type StackSnapshot,
} from './stack-diff-normalise.ts';

/** A command's outcome. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One cluster and the CLI that deploys stacks to it. */
export interface Side {
  readonly name: string;
  /** The API socket. */
  readonly socket: string;
  /** Runs the side's CLI (`docker` or `shoal`) with `-H unix://socket` in `cwd`. */
  cli(args: readonly string[], cwd: string): Promise<Run>;
}

/** Runs `bin args` with exactly `env` (nothing of the test's own environment leaks in). */
export function runCli(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, env, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** GET on a side's API; throws with the body on anything but 200. */
export async function get<T>(side: Side, path: string): Promise<T> {
  const r = await api(side.socket, 'GET', `/v1.41${path}`);
  if (r.status !== 200) throw new Error(`${side.name}: GET ${path}: ${r.status} ${r.body}`);
  return r.json<T>();
}

/** What a compose file needs around it, found by loading it as `shoal stack deploy` would. */
export interface Prepared {
  /** The compose file's copy, with the files its secrets and configs read beside it. */
  readonly file: string;
  readonly externalNetworks: readonly string[];
  readonly externalSecrets: readonly string[];
  readonly externalConfigs: readonly string[];
  /** Subnets the file sets itself (not the allocator's to pick: compared as they are). */
  readonly subnets: ReadonlySet<string>;
}

/**
 * Copies `source` into `dir` and writes every file its secrets and configs read (fixed content
 * naming the file), so both CLIs find them.
 */
export function prepare(source: string, dir: string, env: Readonly<Record<string, string>>): Prepared {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, basename(source));
  copyFileSync(source, file);
  const project = loadComposeFiles([file], { env });
  const read: string[] = [];
  const stack = convertStack(project, 'probe', {
    readFile: (p) => {
      read.push(p);
      return '';
    },
  });
  for (const p of read) {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, `content of ${p.slice(dir.length + 1)}\n`);
  }
  return {
    file,
    externalNetworks: stack.externalNetworks,
    externalSecrets: stack.externalSecrets,
    externalConfigs: stack.externalConfigs,
    subnets: givenSubnets(readFileSync(file, 'utf8')),
  };
}

/**
 * The subnets a compose file sets (`networks.*.ipam.config[].subnet`), read with the `yaml` package
 * rather than compose/, so that a converter dropping one cannot hide it from the comparison.
 */
function givenSubnets(text: string): Set<string> {
  const doc = parseYaml(text, { merge: true }) as { networks?: Record<string, unknown> } | null;
  const subnets = new Set<string>();
  for (const n of Object.values(doc?.networks ?? {})) {
    const config = (n as { ipam?: { config?: { subnet?: unknown }[] } } | null)?.ipam?.config ?? [];
    for (const c of config) if (typeof c.subnet === 'string') subnets.add(c.subnet);
  }
  return subnets;
}

const labelFilter = (ns: string): string =>
  encodeURIComponent(JSON.stringify({ label: { [`com.docker.stack.namespace=${ns}`]: true } }));

interface Named {
  ID?: string;
  Id?: string;
  Name?: string;
  Spec?: { Name?: string };
}

async function names(side: Side): Promise<Names> {
  const map = async (kind: string) =>
    new Map(
      (await get<Named[]>(side, `/${kind}`)).map((o) => [o.ID ?? o.Id ?? '', o.Spec?.Name ?? o.Name ?? '']),
    );
  return { networks: await map('networks'), secrets: await map('secrets'), configs: await map('configs') };
}

/** Everything stack `ns` left on `side`, normalised (see stack-diff-normalise.ts). */
export async function snapshot(side: Side, ns: string, subnets: ReadonlySet<string>): Promise<StackSnapshot> {
  const q = `?filters=${labelFilter(ns)}`;
  const ids = await names(side);
  const services = await get<Obj[]>(side, `/services${q}`);
  const networks: Obj[] = [];
  for (const n of await get<Named[]>(side, `/networks${q}`))
    networks.push(await get<Obj>(side, `/networks/${n.Id ?? n.ID ?? ''}`));
  return {
    services: keyed(services, specName, (s) => normaliseService(s, ids)),
    networks: keyed(networks, specName, (n) => normaliseNetwork(n, subnets)),
    secrets: keyed(await get<Obj[]>(side, `/secrets${q}`), specName, normaliseFileObject),
    configs: keyed(await get<Obj[]>(side, `/configs${q}`), specName, normaliseFileObject),
  };
}

/**
 * Deletes through the API whatever of stack `ns` is left on `side` (a network may still be in use for
 * a moment after its services went, which `stack rm` reports and gives up on).
 * @returns whether nothing was left.
 */
export async function purge(side: Side, ns: string): Promise<boolean> {
  const q = `?filters=${labelFilter(ns)}`;
  let left = 0;
  for (const kind of ['services', 'secrets', 'configs', 'networks']) {
    for (const o of await get<Named[]>(side, `/${kind}${q}`)) {
      left++;
      await api(side.socket, 'DELETE', `/v1.41/${kind}/${o.ID ?? o.Id ?? ''}`);
    }
  }
  return left === 0;
}

/** Drains the side's only node, so that nothing is scheduled: only specs are compared. */
export async function drainOnlyNode(side: Side): Promise<void> {
  const [node] = await get<{ ID: string; Version: { Index: number }; Spec: Obj }[]>(side, '/nodes');
  if (!node) throw new Error(`${side.name}: no node`);
  const r = await api(side.socket, 'POST', `/v1.41/nodes/${node.ID}/update?version=${node.Version.Index}`, {
    ...node.Spec,
    Availability: 'drain',
  });
  if (r.status !== 200) throw new Error(`${side.name}: drain: ${r.status} ${r.body}`);
}

/** Creates the external objects a stack needs, with the same request on every side. */
export async function createExternals(side: Side, p: Prepared): Promise<void> {
  const post = async (path: string, body: Obj): Promise<void> => {
    const r = await api(side.socket, 'POST', `/v1.41${path}`, body);
    if (r.status !== 201 && r.status !== 200 && r.status !== 409)
      throw new Error(`${side.name}: POST ${path} ${JSON.stringify(body)}: ${r.status} ${r.body}`);
  };
  const existing = new Set((await get<Named[]>(side, '/networks')).map((n) => n.Name));
  for (const name of p.externalNetworks)
    if (!existing.has(name))
      await post('/networks/create', { Name: name, Driver: 'overlay', Attachable: true });
  const data = (name: string) => Buffer.from(`external ${name}\n`).toString('base64');
  const have = async (kind: string) =>
    new Set((await get<Named[]>(side, `/${kind}`)).map((o) => o.Spec?.Name));
  const secrets = await have('secrets');
  for (const name of p.externalSecrets)
    if (!secrets.has(name)) await post('/secrets/create', { Name: name, Data: data(name) });
  const configs = await have('configs');
  for (const name of p.externalConfigs)
    if (!configs.has(name)) await post('/configs/create', { Name: name, Data: data(name) });
}

/** Removes the external objects {@link createExternals} made, so that the next file starts clean. */
export async function removeExternals(side: Side, p: Prepared): Promise<void> {
  const remove = async (kind: string, names: readonly string[]): Promise<void> => {
    for (const name of names) {
      const r = await api(side.socket, 'DELETE', `/v1.41/${kind}/${encodeURIComponent(name)}`);
      if (r.status !== 204 && r.status !== 200 && r.status !== 404)
        throw new Error(`${side.name}: DELETE ${kind}/${name}: ${r.status} ${r.body}`);
    }
  };
  await remove('secrets', p.externalSecrets);
  await remove('configs', p.externalConfigs);
  await remove('networks', p.externalNetworks);
}
