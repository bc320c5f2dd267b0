/** `shoal info`, `shoal version`, `shoal events`. */
import type { Command } from 'commander';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';
import type { Ctx } from '../context.ts';
import { goDuration } from '../flags.ts';
import { renderEach } from '../format/list.ts';
import { humanDuration, rfc3339NanoFixed } from '../format/time.ts';
import { bytesSize } from '../format/units.ts';
import type { Info, Json } from '../types.ts';
import { collect, filtersQuery } from './common.ts';

/** Registers `info`, `version` and `events`. */
export function registerSystem(program: Command, ctx: Ctx): void {
  program
    .command('info')
    .description('Display system-wide information')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (o: { format?: string }) => {
      const info = await ctx.api().get<Info>('/info');
      ctx.io.out(o.format ? renderEach([info], o.format) : formatInfo(info, ctx.api().host));
    });

  program
    .command('version')
    .description('Show the Shoal version information')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (o: { format?: string }) => {
      const client = {
        Version: SHOAL_VERSION,
        ApiVersion: DOCKER_API_VERSION,
        NodeVersion: process.version,
        Os: process.platform,
        Arch: process.arch,
      };
      let server: Json | undefined;
      let failure: Error | undefined;
      try {
        server = await ctx.api().get<Json>('/version');
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
      if (o.format) {
        ctx.io.out(renderEach([{ Client: client, Server: server ?? null }], o.format));
      } else {
        ctx.io.out(
          `Client: Shoal\n Version:      ${client.Version}\n API version:  ${client.ApiVersion}\n Node.js:      ${client.NodeVersion}\n OS/Arch:      ${client.Os}/${client.Arch}\n`,
        );
        if (server) ctx.io.out(`\n${formatServerVersion(server)}`);
      }
      if (failure !== undefined) throw failure;
    });

  program
    .command('events')
    .description('Get real time events from the server')
    .option('--since <string>', 'Show all events created since timestamp')
    .option('--until <string>', 'Stream events until this timestamp')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Format output using a custom template')
    .action(async (o: { since?: string; until?: string; filter?: string[]; format?: string }) => {
      const now = ctx.now();
      const query = {
        filters: filtersQuery(o.filter),
        since: o.since === undefined ? undefined : timestamp(o.since, now),
        until: o.until === undefined ? undefined : timestamp(o.until, now),
      };
      const res = await ctx.api().stream('GET', '/events', { query });
      let buf = '';
      for await (const chunk of res as AsyncIterable<Buffer>) {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') ctx.io.out(formatEvent(JSON.parse(line) as EventMessage, o.format));
        }
      }
    });
}

/** docker's `GetTimestamp`: a duration ago, an RFC3339 time, or unix seconds. */
export function timestamp(value: string, nowMs: number): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const t = Date.parse(value);
  if (!Number.isNaN(t)) return (t / 1000).toFixed(9);
  return ((nowMs - goDuration(value) / 1e6) / 1000).toFixed(9);
}

/** An event from `GET /events`. */
export interface EventMessage {
  readonly Type?: string;
  readonly Action?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Record<string, string> };
  readonly time?: number;
  readonly timeNano?: number;
}

/** docker's default event line: `<time> <type> <action> <id> (k=v, ...)`. */
export function formatEvent(e: EventMessage, format?: string): string {
  if (format) return renderEach([e], format);
  const nano = e.timeNano !== undefined ? BigInt(e.timeNano) : BigInt(e.time ?? 0) * 1_000_000_000n;
  let line = `${rfc3339NanoFixed(nano)} ${e.Type ?? ''} ${e.Action ?? ''} ${e.Actor?.ID ?? ''}`;
  const attrs = e.Actor?.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  if (keys.length > 0) line += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})`;
  return `${line}\n`;
}

function formatServerVersion(v: Json): string {
  const s = (k: string) => (typeof v[k] === 'string' || typeof v[k] === 'number' ? String(v[k]) : '');
  return (
    `Server: ${(v.Platform as { Name?: string } | undefined)?.Name ?? 'Shoal'}\n Engine:\n` +
    `  Version:          ${s('Version')}\n  API version:      ${s('ApiVersion')} (minimum version ${s('MinAPIVersion')})\n` +
    `  Git commit:       ${s('GitCommit')}\n  Built:            ${s('BuildTime')}\n  OS/Arch:          ${s('Os')}/${s('Arch')}\n` +
    `  Kernel Version:   ${s('KernelVersion')}\n`
  );
}

/** `shoal info` output: docker's layout for the fields Shoal has, the Swarm section in full. */
export function formatInfo(info: Info, host: string): string {
  const s = (k: string) =>
    typeof info[k] === 'string' || typeof info[k] === 'number' ? String(info[k]) : '';
  const lines = ['Client:', ` Version:    ${SHOAL_VERSION}`, ` Host:       ${host}`, '', 'Server:'];
  if (s('ServerVersion')) lines.push(` Server Version: ${s('ServerVersion')}`);
  const shoal = info['Shoal'] as { Engine?: string; EngineNotes?: string[] } | undefined;
  if (shoal?.Engine) {
    // What the node's engine does for isolation (namespaces, cgroups, chroot) or why it cannot.
    lines.push(` Engine: ${shoal.Engine}`, ...(shoal.EngineNotes ?? []).map((n) => `  ${n}`));
  }
  lines.push(...swarmLines(info));
  if (s('KernelVersion')) lines.push(` Kernel Version: ${s('KernelVersion')}`);
  if (s('OperatingSystem')) lines.push(` Operating System: ${s('OperatingSystem')}`);
  if (s('OSType')) lines.push(` OSType: ${s('OSType')}`);
  if (s('Architecture')) lines.push(` Architecture: ${s('Architecture')}`);
  if (s('NCPU')) lines.push(` CPUs: ${s('NCPU')}`);
  if (typeof info.MemTotal === 'number') lines.push(` Total Memory: ${bytesSize(info.MemTotal)}`);
  if (s('Name')) lines.push(` Name: ${s('Name')}`);
  if (s('ID')) lines.push(` ID: ${s('ID')}`);
  if (s('DockerRootDir')) lines.push(` Root Dir: ${s('DockerRootDir')}`);
  return lines.join('\n') + '\n\n';
}

function swarmLines(info: Info): string[] {
  const sw = info.Swarm;
  const state = sw?.LocalNodeState ?? 'inactive';
  const out = [` Swarm: ${state}`];
  if (state === 'inactive' || state === 'locked' || !sw) return out;
  out.push(`  NodeID: ${sw.NodeID ?? ''}`);
  if (sw.Error) out.push(`  Error: ${sw.Error}`);
  out.push(`  Is Manager: ${sw.ControlAvailable ? 'true' : 'false'}`);
  const c = sw.Cluster;
  if (sw.ControlAvailable && c) {
    const spec = c.Spec;
    out.push(`  ClusterID: ${c.ID}`, `  Managers: ${sw.Managers ?? 0}`, `  Nodes: ${sw.Nodes ?? 0}`);
    out.push(`  Default Address Pool: ${(c.DefaultAddrPool ?? []).join('  ')}  `);
    out.push(`  SubnetSize: ${c.SubnetSize ?? 0}`, `  Data Path Port: ${c.DataPathPort ?? 0}`);
    out.push(
      '  Orchestration:',
      `   Task History Retention Limit: ${spec.Orchestration?.TaskHistoryRetentionLimit ?? 0}`,
    );
    out.push(
      '  Raft:',
      `   Snapshot Interval: ${spec.Raft?.SnapshotInterval ?? 0}`,
      `   Number of Old Snapshots to Retain: ${spec.Raft?.KeepOldSnapshots ?? 0}`,
      `   Heartbeat Tick: ${spec.Raft?.HeartbeatTick ?? 0}`,
      `   Election Tick: ${spec.Raft?.ElectionTick ?? 0}`,
    );
    out.push(
      '  Dispatcher:',
      `   Heartbeat Period: ${humanDuration((spec.Dispatcher?.HeartbeatPeriod ?? 0) / 1e6)}`,
    );
    out.push(
      '  CA Configuration:',
      `   Expiry Duration: ${humanDuration((spec.CAConfig?.NodeCertExpiry ?? 0) / 1e6)}`,
      `   Force Rotate: ${spec.CAConfig?.ForceRotate ?? 0}`,
    );
    out.push(`  Autolock Managers: ${spec.EncryptionConfig?.AutoLockManagers ? 'true' : 'false'}`);
    out.push(`  Root Rotation In Progress: ${c.RootRotationInProgress ? 'true' : 'false'}`);
  }
  out.push(`  Node Address: ${sw.NodeAddr ?? ''}`);
  const managers = [...(sw.RemoteManagers ?? [])].map((m) => m.Addr).sort();
  if (managers.length > 0) out.push('  Manager Addresses:', ...managers.map((a) => `   ${a}`));
  return out;
}
