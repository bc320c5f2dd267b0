/**
 * `shoald`: parses its flags once, builds the node (engine, images, secrets, swarm membership) and
 * serves the Docker-compatible HTTP API on a unix socket (and tcp if asked). SIGTERM and SIGINT stop it
 * gracefully: the API closes, the agent and the manager stop, tasks keep running for the next start.
 * Returns the exit code so tests can run it in-process.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApi, listenOn } from './api/server.ts';
import { imagesPlugin } from './images-api.ts';
import { ShoalNode, withPort } from './node.ts';
import { createLogger } from '../proto/shared/log.ts';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../proto/version.ts';
import { DockerEngine } from '../worker/engines/docker/engine.ts';
import { ProcessEngine } from '../worker/engines/process/engine.ts';
import type { Engine } from '../worker/executor/types.ts';
import { ImageStore } from '../worker/images/store.ts';
import { SecretMounts } from '../worker/secrets/mounts.ts';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** shoald's options, parsed and checked. */
export interface DaemonOptions {
  readonly dataRoot: string;
  readonly hosts: readonly string[];
  readonly listenAddr: string;
  readonly advertiseAddr?: string;
  readonly engine: 'process' | 'docker';
  readonly dockerHost: string;
  readonly tickMs?: number;
  readonly certPollMs?: number;
  readonly heartbeatMs?: number;
  readonly hostname?: string;
}

export const DEFAULT_SOCKET = 'unix:///run/shoal/shoal.sock';

function defaultDataRoot(): string {
  if (process.getuid?.() === 0) return '/var/lib/shoal';
  const xdg = process.env['XDG_DATA_HOME'] ?? join(process.env['HOME'] ?? '/tmp', '.local', 'share');
  return join(xdg, 'shoal');
}

function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive integer (got "${v}")`);
    return n;
  };
}

/** `-H` values: `unix:///path`, `tcp://host:port`, or a bare socket path. */
export function parseHost(v: string): string {
  if (v.startsWith('unix://')) {
    if (v.length <= 'unix://'.length) throw new Error(`invalid -H "${v}": no socket path`);
    return v;
  }
  if (v.startsWith('tcp://')) {
    const rest = v.slice('tcp://'.length);
    if (!/^[^:/]+:\d{1,5}$/.test(rest) && !/^\[[^\]]+\]:\d{1,5}$/.test(rest))
      throw new Error(`invalid -H "${v}": use tcp://HOST:PORT`);
    return v;
  }
  if (v.startsWith('/')) return `unix://${v}`;
  throw new Error(`invalid -H "${v}": use unix:///path/to.sock or tcp://HOST:PORT`);
}

export function program(
  io: Io,
  run: (o: DaemonOptions) => Promise<number>,
  result: { code: number } = { code: 0 },
): Command {
  const cmd = new Command('shoald')
    .description('Shoal daemon: runs the worker agent on every host, and the manager on managers.')
    .version(
      `shoald version ${SHOAL_VERSION} (Docker API ${DOCKER_API_VERSION})`,
      '-v, --version',
      'print the version and exit',
    )
    .option('--data-root <dir>', 'where certificates, raft data and tasks live', defaultDataRoot())
    .option(
      '-H, --host <addr...>',
      `where to serve the API: unix:///path or tcp://host:port (default ${DEFAULT_SOCKET})`,
    )
    .option('--listen-addr <addr>', 'cluster address to listen on (managers)', '0.0.0.0:2377')
    .option('--advertise-addr <addr>', 'cluster address other nodes use to reach this one')
    .addOption(
      new Option('--engine <engine>', 'where tasks run').choices(['process', 'docker']).default('process'),
    )
    .option('--docker-host <addr>', 'Docker Engine socket (--engine docker)', 'unix:///var/run/docker.sock')
    .option('--hostname <name>', 'the node name shown in `node ls`')
    .addOption(new Option('--tick-ms <ms>', 'raft tick (ms)').argParser(positiveInt('--tick-ms')).hideHelp())
    .addOption(
      new Option('--cert-poll-ms <ms>', 'certificate status poll')
        .argParser(positiveInt('--cert-poll-ms'))
        .hideHelp(),
    )
    .addOption(
      new Option('--heartbeat-ms <ms>', 'dispatcher heartbeat')
        .argParser(positiveInt('--heartbeat-ms'))
        .hideHelp(),
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  cmd.action(async (opts: Record<string, string | string[] | number | undefined>) => {
    const hosts = ((opts['host'] as string[] | undefined) ?? [DEFAULT_SOCKET]).map(parseHost);
    const listenAddr = withPort(String(opts['listenAddr']), 2377);
    const o: DaemonOptions = {
      dataRoot: String(opts['dataRoot']),
      hosts,
      listenAddr,
      ...(opts['advertiseAddr'] ? { advertiseAddr: String(opts['advertiseAddr']) } : {}),
      engine: opts['engine'] === 'docker' ? 'docker' : 'process',
      dockerHost: String(opts['dockerHost']),
      ...(opts['tickMs'] ? { tickMs: opts['tickMs'] as number } : {}),
      ...(opts['certPollMs'] ? { certPollMs: opts['certPollMs'] as number } : {}),
      ...(opts['heartbeatMs'] ? { heartbeatMs: opts['heartbeatMs'] as number } : {}),
      ...(opts['hostname'] ? { hostname: String(opts['hostname']) } : {}),
    };
    result.code = await run(o);
  });
  return cmd;
}

/** Runs shoald until SIGTERM or SIGINT. */
export async function serve(o: DaemonOptions, io: Io = stdio): Promise<number> {
  const log = createLogger({ name: 'shoald' });
  mkdirSync(o.dataRoot, { recursive: true, mode: 0o700 });
  const images = o.engine === 'process' ? new ImageStore(join(o.dataRoot, 'images')) : undefined;
  const secretsRoot = join(o.dataRoot, 'secrets');
  const engine: Engine =
    o.engine === 'docker'
      ? new DockerEngine({ socketPath: o.dockerHost.replace(/^unix:\/\//, ''), log })
      : new ProcessEngine({
          dataRoot: join(o.dataRoot, 'worker'),
          images: images as ImageStore,
          // the node's keys and raft data stay out of tasks' sight (images and work dirs must not)
          hiddenPaths: [secretsRoot, join(o.dataRoot, 'certificates'), join(o.dataRoot, 'raft')],
          log,
        });
  // Resolves with the exit code: 0 on SIGTERM/SIGINT, 1 when the manager's raft failed for good.
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const onFatal = (err: Error): void => {
    const why = `raft storage failed: ${err.message}${'code' in err ? ` (${String(err.code)})` : ''}`;
    log.error({ err }, `${why}; shoald is stopping`);
    io.err(
      `shoald: ${why}; this manager can no longer serve. shoald is stopping (its tasks keep running): ` +
        `fix the cause (free space under ${o.dataRoot}, check the disk) and start shoald again\n`,
    );
    finish(1);
  };
  const node = await ShoalNode.open({
    dataRoot: o.dataRoot,
    onFatal,
    listenAddr: o.listenAddr,
    ...(o.advertiseAddr ? { advertiseAddr: o.advertiseAddr } : {}),
    engine,
    engineNotes: async () => Object.entries(await engine.describe()).map(([k, v]) => `${k}: ${v}`),
    secrets: new SecretMounts({ root: secretsRoot, log }),
    log,
    ...(o.tickMs ? { tickMs: o.tickMs } : {}),
    ...(o.certPollMs ? { certPollMs: o.certPollMs } : {}),
    ...(o.heartbeatMs ? { heartbeatPeriodMs: o.heartbeatMs } : {}),
    ...(o.hostname ? { hostname: o.hostname } : {}),
  });
  const app = await buildApi(node, { logger: log, plugins: [imagesPlugin(images)] });
  for (const h of o.hosts) await listenOn(app, h);
  io.err(`shoald ${SHOAL_VERSION}: serving the API on ${o.hosts.join(', ')} (engine ${o.engine})\n`);
  process.once('SIGTERM', () => finish(0));
  process.once('SIGINT', () => finish(0));
  const code = await finished;
  log.info('stopping');
  await app.close();
  await node.stop();
  log.flush();
  return code;
}

export async function main(
  argv: readonly string[],
  io: Io = stdio,
  run: (o: DaemonOptions) => Promise<number> = (o) => serve(o, io),
): Promise<number> {
  try {
    const result = { code: 0 };
    await program(io, run, result).parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.err(`shoald: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
