/** `shoal swarm`: init, join, join-token, leave, update, unlock, unlock-key, ca. */
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseDuration, parseEnum, parseInt64, parseUint } from '../flags.ts';
import type { Info, Node, Swarm, SwarmSpec } from '../types.ts';
import { collect, seg } from './common.ts';

const AVAILABILITY = ['active', 'pause', 'drain'] as const;

interface SpecFlags {
  readonly autolock?: boolean;
  readonly certExpiry?: string;
  readonly taskHistoryLimit?: string;
  readonly dispatcherHeartbeat?: string;
}

/** Registers `swarm` and its subcommands. */
export function registerSwarm(program: Command, ctx: Ctx): void {
  const swarm = program.command('swarm').description('Manage Swarm');
  const addSpecFlags = (c: Command): Command =>
    c
      .option('--autolock', 'Enable manager autolocking (requiring an unlock key to start a stopped manager)')
      .option('--cert-expiry <duration>', 'Validity period for node certificates (ns|us|ms|s|m|h)')
      .option('--task-history-limit <int>', 'Task history retention limit')
      .option('--dispatcher-heartbeat <duration>', 'Dispatcher heartbeat period (ns|us|ms|s|m|h)');

  addSpecFlags(swarm.command('init').description('Initialize a swarm'))
    .option('--advertise-addr <addr>', 'Advertised address (format: "<ip|interface>[:port]")')
    .option('--listen-addr <addr>', 'Listen address (format: "<ip|interface>[:port]")', '0.0.0.0:2377')
    .option('--force-new-cluster', 'Force create a new cluster from current state')
    .option('--availability <state>', 'Availability of the node ("active", "pause", "drain")')
    .option('--default-addr-pool <cidr>', 'Default address pool in CIDR format', collect)
    .option('--default-addr-pool-mask-length <n>', 'Default address pool subnet mask length', '24')
    .option('--data-path-port <port>', 'Port number used for data path traffic (1024 - 49151)')
    .option('--data-path-addr <addr>', 'Address or interface to use for data path traffic')
    .action(async (o: InitOpts) => init(ctx, o));

  swarm
    .command('join')
    .description('Join a swarm as a node and/or manager')
    .argument('<host:port>')
    .option('--token <token>', 'Token for entry into the swarm')
    .option('--advertise-addr <addr>', 'Advertised address')
    .option('--listen-addr <addr>', 'Listen address', '0.0.0.0:2377')
    .option('--data-path-addr <addr>', 'Address or interface to use for data path traffic')
    .option('--availability <state>', 'Availability of the node ("active", "pause", "drain")')
    .action(async (remote: string, o: JoinOpts) => join(ctx, remote, o));

  swarm
    .command('join-token')
    .description('Manage join tokens')
    .argument('<worker|manager>')
    .option('-q, --quiet', 'Only display token')
    .option('--rotate', 'Rotate join token')
    .action(async (role: string, o: { quiet?: boolean; rotate?: boolean }) => joinToken(ctx, role, o));

  swarm
    .command('leave')
    .description('Leave the swarm')
    .option('-f, --force', 'Force this node to leave the swarm, ignoring warnings')
    .action(async (o: { force?: boolean }) => {
      await ctx.api().request('POST', '/swarm/leave', o.force ? { query: { force: 1 } } : {});
      ctx.io.out('Node left the swarm.\n');
    });

  addSpecFlags(swarm.command('update').description('Update the swarm')).action(async (o: SpecFlags) =>
    update(ctx, o),
  );

  swarm
    .command('unlock')
    .description('Unlock swarm (reads the unlock key from stdin)')
    .action(async () => unlock(ctx));

  swarm
    .command('unlock-key')
    .description('Manage the unlock key')
    .option('-q, --quiet', 'Only display token')
    .option('--rotate', 'Rotate unlock key')
    .action(async (o: { quiet?: boolean; rotate?: boolean }) => unlockKey(ctx, o));

  swarm
    .command('ca')
    .description('Display and rotate the root CA')
    .option('--rotate', 'Rotate the swarm CA')
    .option('-q, --quiet', 'Suppress progress output')
    .option('-d, --detach', 'Exit immediately instead of waiting for the root rotation to converge')
    .option('--cert-expiry <duration>', 'Validity period for node certificates (ns|us|ms|s|m|h)')
    .action(async (o: CaOpts) => ca(ctx, o));
}

interface InitOpts extends SpecFlags {
  readonly advertiseAddr?: string;
  readonly listenAddr: string;
  readonly forceNewCluster?: boolean;
  readonly availability?: string;
  readonly defaultAddrPool?: string[];
  readonly defaultAddrPoolMaskLength: string;
  readonly dataPathPort?: string;
  readonly dataPathAddr?: string;
}

interface JoinOpts {
  readonly token?: string;
  readonly advertiseAddr?: string;
  readonly listenAddr: string;
  readonly dataPathAddr?: string;
  readonly availability?: string;
}

interface CaOpts {
  readonly rotate?: boolean;
  readonly quiet?: boolean;
  readonly detach?: boolean;
  readonly certExpiry?: string;
}

/** The spec fields the flags set, merged onto `spec` (a copy). */
export function applySpecFlags(spec: SwarmSpec, o: SpecFlags): SwarmSpec {
  const out: SwarmSpec = structuredClone(spec);
  if (o.taskHistoryLimit !== undefined) {
    out.Orchestration = {
      ...out.Orchestration,
      TaskHistoryRetentionLimit: parseInt64('--task-history-limit', o.taskHistoryLimit),
    };
  }
  if (o.dispatcherHeartbeat !== undefined) {
    out.Dispatcher = {
      ...out.Dispatcher,
      HeartbeatPeriod: parseDuration('--dispatcher-heartbeat', o.dispatcherHeartbeat),
    };
  }
  if (o.certExpiry !== undefined) {
    out.CAConfig = { ...out.CAConfig, NodeCertExpiry: parseDuration('--cert-expiry', o.certExpiry) };
  }
  if (o.autolock !== undefined)
    out.EncryptionConfig = { ...out.EncryptionConfig, AutoLockManagers: o.autolock };
  return out;
}

async function init(ctx: Ctx, o: InitOpts): Promise<void> {
  if (o.availability !== undefined) parseEnum('--availability', o.availability, AVAILABILITY);
  const subnetSize = parseUint('--default-addr-pool-mask-length', o.defaultAddrPoolMaskLength);
  const dataPathPort = o.dataPathPort === undefined ? 0 : parseUint('--data-path-port', o.dataPathPort);
  if (dataPathPort !== 0 && (dataPathPort < 1024 || dataPathPort > 49151)) {
    throw new UsageError(
      `invalid argument "${o.dataPathPort}" for "--data-path-port" flag: must be 1024 - 49151`,
    );
  }
  for (const pool of o.defaultAddrPool ?? []) {
    if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(pool)) {
      throw new UsageError(`invalid argument "${pool}" for "--default-addr-pool" flag: invalid CIDR address`);
    }
  }
  const base: SwarmSpec = {
    Labels: null,
    Orchestration: {},
    Raft: { ElectionTick: 0, HeartbeatTick: 0 },
    Dispatcher: {},
    CAConfig: {},
    TaskDefaults: {},
    EncryptionConfig: { AutoLockManagers: false },
  };
  const spec = applySpecFlags(base, o);
  const body = {
    ListenAddr: o.listenAddr,
    AdvertiseAddr: o.advertiseAddr ?? '',
    DataPathAddr: o.dataPathAddr ?? '',
    DataPathPort: dataPathPort,
    ForceNewCluster: o.forceNewCluster ?? false,
    Spec: spec,
    AutoLockManagers: o.autolock ?? false,
    Availability: o.availability ?? '',
    DefaultAddrPool: o.defaultAddrPool ?? [],
    SubnetSize: subnetSize,
  };
  const nodeId = await ctx.api().json<string>('POST', '/swarm/init', { body });
  ctx.io.out(`Swarm initialized: current node (${nodeId}) is now a manager.\n\n`);
  await printJoinCommand(ctx, nodeId, true, false);
  ctx.io.out(
    "To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n\n",
  );
  if (o.autolock) {
    const key = await ctx.api().get<{ UnlockKey: string }>('/swarm/unlockkey');
    printUnlockCommand(ctx, key.UnlockKey);
  }
}

async function join(ctx: Ctx, remote: string, o: JoinOpts): Promise<void> {
  if (o.availability !== undefined) parseEnum('--availability', o.availability, AVAILABILITY);
  const body = {
    ListenAddr: o.listenAddr,
    AdvertiseAddr: o.advertiseAddr ?? '',
    DataPathAddr: o.dataPathAddr ?? '',
    RemoteAddrs: [remote],
    JoinToken: o.token ?? '',
    Availability: o.availability ?? '',
  };
  await ctx.api().request('POST', '/swarm/join', { body });
  const info = await ctx.api().get<Info>('/info');
  ctx.io.out(`This node joined a swarm as a ${info.Swarm?.ControlAvailable ? 'manager' : 'worker'}.\n`);
}

/** Prints `shoal swarm join --token ...` for the roles asked, as docker's printJoinCommand does. */
async function printJoinCommand(ctx: Ctx, nodeId: string, worker: boolean, manager: boolean): Promise<void> {
  const node = await ctx.api().get<Node>(`/nodes/${seg(nodeId)}`);
  const swarm = await ctx.api().get<Swarm>('/swarm');
  const addr = node.ManagerStatus?.Addr;
  if (addr === undefined) return;
  for (const [want, role, token] of [
    [worker, 'worker', swarm.JoinTokens?.Worker],
    [manager, 'manager', swarm.JoinTokens?.Manager],
  ] as const) {
    if (want) {
      ctx.io.out(
        `To add a ${role} to this swarm, run the following command:\n\n    shoal swarm join --token ${token ?? ''} ${addr}\n\n`,
      );
    }
  }
}

function printUnlockCommand(ctx: Ctx, key: string): void {
  if (key === '') return;
  ctx.io.out(
    'To unlock a swarm manager after it restarts, run the `shoal swarm unlock`\n' +
      `command and provide the following key:\n\n    ${key}\n\n` +
      'Remember to store this key in a password manager, since without it you\n' +
      'will not be able to restart the manager.\n',
  );
}

async function swarmUpdate(
  ctx: Ctx,
  swarm: Swarm,
  spec: SwarmSpec,
  rotate: { worker?: boolean; manager?: boolean; unlockKey?: boolean } = {},
): Promise<void> {
  await ctx.api().request('POST', '/swarm/update', {
    query: {
      rotateManagerToken: rotate.manager ?? false,
      rotateManagerUnlockKey: rotate.unlockKey ?? false,
      rotateWorkerToken: rotate.worker ?? false,
      version: swarm.Version?.Index ?? 0,
    },
    body: spec,
  });
}

async function joinToken(ctx: Ctx, role: string, o: { quiet?: boolean; rotate?: boolean }): Promise<void> {
  if (role !== 'worker' && role !== 'manager') {
    throw new UsageError('unknown role ' + role);
  }
  if (o.rotate) {
    const current = await ctx.api().get<Swarm>('/swarm');
    await swarmUpdate(ctx, current, current.Spec, { [role]: true });
    if (!o.quiet) ctx.io.out(`Successfully rotated ${role} join token.\n\n`);
  }
  const swarm = await ctx.api().get<Swarm>('/swarm');
  if (o.quiet) {
    ctx.io.out(`${role === 'worker' ? swarm.JoinTokens?.Worker : swarm.JoinTokens?.Manager}\n`);
    return;
  }
  const info = await ctx.api().get<Info>('/info');
  await printJoinCommand(ctx, info.Swarm?.NodeID ?? '', role === 'worker', role === 'manager');
}

async function update(ctx: Ctx, o: SpecFlags): Promise<void> {
  if (Object.values(o).every((v) => v === undefined)) throw new UsageError('at least one flag is required');
  applySpecFlags({}, o); // validate before any request
  const swarm = await ctx.api().get<Swarm>('/swarm');
  const before = swarm.Spec.EncryptionConfig?.AutoLockManagers ?? false;
  const spec = applySpecFlags(swarm.Spec, o);
  await swarmUpdate(ctx, swarm, spec);
  ctx.io.out('Swarm updated.\n');
  if (spec.EncryptionConfig?.AutoLockManagers && !before) {
    const key = await ctx.api().get<{ UnlockKey: string }>('/swarm/unlockkey');
    printUnlockCommand(ctx, key.UnlockKey);
  }
}

async function unlock(ctx: Ctx): Promise<void> {
  const info = await ctx.api().get<Info>('/info');
  const state = info.Swarm?.LocalNodeState ?? 'inactive';
  if (state === 'inactive') throw new CliError('Error: This node is not part of a swarm');
  if (state !== 'locked') throw new CliError('Error: swarm is not locked');
  let key: string;
  if (ctx.io.isTTY && ctx.io.readLine) {
    ctx.io.out('Enter unlock key: ');
    key = (await ctx.io.readLine()).trim();
  } else {
    const raw = ctx.io.readStdin ? await ctx.io.readStdin() : Buffer.alloc(0);
    key = raw.toString('utf8').split('\n')[0]?.trim() ?? '';
  }
  await ctx.api().request('POST', '/swarm/unlock', { body: { UnlockKey: key } });
}

async function unlockKey(ctx: Ctx, o: { quiet?: boolean; rotate?: boolean }): Promise<void> {
  if (o.rotate) {
    const swarm = await ctx.api().get<Swarm>('/swarm');
    if (!swarm.Spec.EncryptionConfig?.AutoLockManagers) {
      throw new CliError('cannot rotate because autolock is not turned on');
    }
    await swarmUpdate(ctx, swarm, swarm.Spec, { unlockKey: true });
    if (!o.quiet) ctx.io.out('Successfully rotated manager unlock key.\n');
  }
  const key = await ctx.api().get<{ UnlockKey: string }>('/swarm/unlockkey');
  if (!key.UnlockKey) throw new CliError('no unlock key is set');
  if (o.quiet) ctx.io.out(`${key.UnlockKey}\n`);
  else printUnlockCommand(ctx, key.UnlockKey);
}

async function ca(ctx: Ctx, o: CaOpts): Promise<void> {
  if (!o.rotate) {
    if (o.certExpiry !== undefined) throw new UsageError('--cert-expiry requires --rotate');
    const swarm = await ctx.api().get<Swarm>('/swarm');
    ctx.io.out(`${(swarm.TLSInfo?.TrustRoot ?? '').trim()}\n`);
    return;
  }
  const expiry = o.certExpiry === undefined ? undefined : parseDuration('--cert-expiry', o.certExpiry);
  const swarm = await ctx.api().get<Swarm>('/swarm');
  const spec = structuredClone(swarm.Spec);
  spec.CAConfig = { ...spec.CAConfig, ForceRotate: (spec.CAConfig?.ForceRotate ?? 0) + 1 };
  if (expiry !== undefined) spec.CAConfig.NodeCertExpiry = expiry;
  await swarmUpdate(ctx, swarm, spec);
  if (o.detach) return;
  await waitRootRotation(ctx, o.quiet ?? false);
}

/** Polls every 200 ms until the root rotation finished and every node carries the cluster's TLS info. */
async function waitRootRotation(ctx: Ctx, quiet: boolean): Promise<void> {
  let last = '';
  for (;;) {
    const swarm = await ctx.api().get<Swarm>('/swarm');
    const nodes = await ctx.api().get<Node[]>('/nodes');
    const want = swarm.TLSInfo ?? {};
    const done = nodes.filter(
      (n) =>
        n.Description?.TLSInfo?.TrustRoot === want.TrustRoot &&
        n.Description?.TLSInfo?.CertIssuerSubject === want.CertIssuerSubject,
    ).length;
    const line = swarm.RootRotationInProgress
      ? `rotated TLS certificates: ${done}/${nodes.length} nodes\n`
      : `rotated CA certificates: ${done}/${nodes.length} nodes\n`;
    if (!quiet && line !== last) ctx.io.out(line);
    last = line;
    if (!swarm.RootRotationInProgress && done === nodes.length) {
      ctx.io.out(`${(want.TrustRoot ?? '').trim()}\n`);
      return;
    }
    await ctx.sleep(200);
  }
}
